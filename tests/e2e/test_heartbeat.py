"""Heartbeats: the server pings every --ping-interval seconds; a connection silent for
--silence-timeout (not even answering pings) is lost, and — with no grace period
(--grace 0) — its partner is told "lost" at once and goes back to the lobby. Healthy
clients, which answer pings, stay connected however long they wait. (Grace periods:
test_reconnect.py.) The defaults are 5 and 15 s; the test runs at 1 and 3 s."""
import threading
import time

from harness import Failure, Scene, run, slowdown
from test_server_input import RawWebSocket


SILENCE = 3


def test():
    with Scene() as scene:
        server = scene.server(extra=["--allow-guests", "--grace", "0", "--ping-interval", "1",
                                     "--silence-timeout", str(SILENCE)])
        # The partner is a raw socket that answers pings: a real client would give the
        # call up on its own after 15 s without a peer-to-peer connection.
        partner = RawWebSocket("127.0.0.1", 18080)
        partner.recv()   # hello
        partner.send('{"type":"sign-in","version":1,"name":"partner"}')
        partner.recv_type("waiting")

        silent = RawWebSocket("127.0.0.1", 18080)  # signs in, then never reads or pongs
        silent.recv()   # hello
        silent.send('{"type":"sign-in","version":1,"name":"silent"}')
        m = partner.recv_type("matched")
        if m["peer"]["name"] != "silent":
            raise Failure(f"the partner met {m['peer']}")
        start = time.monotonic()
        partner.sock.settimeout(30)
        left = partner.recv_type("peer-left")
        took = time.monotonic() - start
        if left.get("reason") != "lost":
            raise Failure(f"the partner of a silent connection was told {left}")
        if not SILENCE - 1 <= took <= SILENCE + 4 * slowdown():
            raise Failure(f"silence detected after {took:.1f} s, expected about {SILENCE}")
        print(f"silent connection lost after {took:.1f} s")
        partner.recv_type("waiting")

        # A real client, which answers pings, waits alone for three silence timeouts and
        # is still there.
        idle = scene.client(server, "idle")
        idle.expect("waiting")
        reader = threading.Thread(target=lambda: partner.recv_type("never", limit=10**6),
                                  daemon=True)
        reader.start()   # keeps the partner answering pings; it is matched with idle
        time.sleep(3 * SILENCE)
        idle.send({"cmd": "status"})
        st = idle.expect("status", timeout=5)
        if st["state"] not in ("waiting", "matched"):
            raise Failure(f"a healthy client was dropped: {st}")
        if any(e["event"] == "reconnecting" for e in idle.seen):
            raise Failure("a healthy client lost its connection")


run(test)
