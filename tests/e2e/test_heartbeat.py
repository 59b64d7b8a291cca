"""Heartbeats: the server pings every 5 s; a connection silent for 15 s (not even
answering pings) is lost, and its partner is told "lost" at once and goes back to the
lobby. Healthy clients, which answer pings, stay connected however long they wait."""
import time

from harness import Failure, Scene, run
from test_server_input import RawWebSocket


def test():
    with Scene() as scene:
        server = scene.server(extra=["--allow-guests"])
        idle = scene.client(server, "idle")       # answers pings, waits alone a while
        idle.expect("waiting")

        silent = RawWebSocket("127.0.0.1", 18080)  # signs in, then never reads or pongs
        silent.recv()   # hello
        silent.send('{"type":"sign-in","version":1,"name":"silent"}')
        m = idle.expect("matched", timeout=10)
        if m["peer"]["name"] != "silent":
            raise Failure(f"idle met {m['peer']}")
        start = time.monotonic()
        left = idle.expect("peer-left", timeout=30)
        took = time.monotonic() - start
        if left["reason"] != "lost":
            raise Failure(f"the partner of a silent connection was told {left}")
        if not 13 <= took <= 22:
            raise Failure(f"silence detected after {took:.1f} s, expected about 15")
        print(f"silent connection lost after {took:.1f} s")
        idle.expect("waiting", timeout=5)

        # The idle client itself, which answers pings, is still there 20 s on.
        time.sleep(20)
        idle.send({"cmd": "status"})
        st = idle.expect("status", timeout=5)
        if st["state"] != "waiting":
            raise Failure(f"a healthy idle client was dropped: {st}")


run(test)
