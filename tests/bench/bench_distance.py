"""Call set-up at real distances (#23): matched → connected and next → first frame, with
the two users 50 and 100 ms apart (round trip), in ms and in round trips, and where the
time goes (the client's own set-up timeline).

The network lab (tests/e2e/netlab.py): lobby and coturn on the "public" net, each user
behind a home router of its own. Each router holds every packet it forwards for RTT/4
(tests/tools/nfq-delay.c, NFQUEUE; this kernel has no netem), so a round trip between
the two users takes RTT and one between a user and the lobby RTT/2 (the lobby sits
half-way). The round trips are measured (UDP echo from each user to the public net)
and printed beside the figures.

Paths: full-cone NATs (a direct call) and symmetric NATs (through the TURN relay).
No target yet; the figures go to docs/performance.md.

    tests/netns-run python3 tests/bench/bench_distance.py [--calls N] [--rtt 50,100]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from coturn import Coturn  # noqa: E402
from harness import BUILD, Scene  # noqa: E402
from netlab import PUB_ADDRESS, Lab  # noqa: E402

SECRET = "distance-" + os.urandom(6).hex()
NFQ_DELAY = os.path.join(BUILD, "tests", "nfq-delay")
PHASES = ("remote-description", "ice-connected", "connected", "first-frame")

ECHO = """import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9999))
while True:
    data, peer = s.recvfrom(64)
    s.sendto(data, peer)
"""
PROBE = """import socket, statistics, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
for attempt in range(20):   # until the echo is up
    try:
        s.sendto(b"x", (sys.argv[1], 9999))
        s.recvfrom(64)
        break
    except OSError:
        pass
s.settimeout(2)
took = []
for i in range(10):
    t = time.monotonic()
    s.sendto(b"x", (sys.argv[1], 9999))
    try:
        s.recvfrom(64)
    except OSError:
        sys.exit(f"probe {i}: no answer; answered before: {took}")
    took.append((time.monotonic() - t) * 1000)
    time.sleep(0.02)
print(statistics.median(took))
"""


def measure_rtt(lab):
    """Median UDP round trips from each user to the public net (through its router);
    between the two users a round trip is their sum (the routers' NATs need not let an
    echo in, so it is not measured end to end)."""
    echo = subprocess.Popen(["python3", "-c", ECHO])
    try:
        time.sleep(0.3)
        out = []
        for user in ("c1", "c2"):
            r = subprocess.run([*lab.prefix_for(user), "python3", "-c", PROBE, PUB_ADDRESS],
                               capture_output=True, text=True, timeout=60)
            if r.returncode != 0:
                raise RuntimeError(f"no UDP echo for {user}: {r.stderr.strip()}")
            out.append(float(r.stdout.strip()))
        return out[0] + out[1], out[0]
    finally:
        echo.kill()
        echo.wait()


def timelines(client):
    """The set-up timelines the client logged (ms from the match), one dict per call."""
    client.stderr.flush()
    with open(client.stderr_path, errors="replace") as f:
        text = f.read()
    found = []
    for m in re.finditer(r"set-up timeline \((\w+), ms from the match\): (.*?) \(match", text):
        found.append({"role": m.group(1),
                      **{k: float(v) for k, v in re.findall(r"([\w-]+)=([\d.]+)", m.group(2))}})
    return found


def run_config(kinds, rtt, calls):
    lab = Lab(*kinds)
    try:
        lab.delay(rtt // 4, NFQ_DELAY)
        peer_rtt, lobby_rtt = measure_rtt(lab)
        with Scene() as scene:
            turn = Coturn(SECRET, address=PUB_ADDRESS)
            scene.procs.append(turn)
            server = scene.server(address=PUB_ADDRESS, extra=[
                "--stun", f"stun:{PUB_ADDRESS}:3478",
                "--turn-url", f"turn:{PUB_ADDRESS}:3478?transport=udp",
                "--turn-url", f"turn:{PUB_ADDRESS}:3478?transport=tcp", "--turn-secret", SECRET])
            alice = scene.client(server, "alice", prefix=lab.prefix_for("c1"), ice_address=None)
            bob = scene.client(server, "bob", prefix=lab.prefix_for("c2"), ice_address=None)
            to_connected, to_frame, paths = [], [], set()
            for i in range(calls + 1):
                if i > 0:
                    # alice skips; the two are matched again (nobody else waits).
                    alice.send({"cmd": "next"})
                    skipped = time.monotonic()
                matched = alice.expect("matched", timeout=30)
                connected = alice.expect("connected", timeout=30)
                frame = alice.expect("first-frame", timeout=30)
                bob.expect("first-frame", timeout=30)
                paths.add("relay" if "relay" in connected["path"].values() else "direct")
                to_connected.append(connected["t"] - matched["t"])
                if i > 0:
                    to_frame.append((frame["_rx"] - skipped) * 1000)
                time.sleep(0.5)
            lines = timelines(alice)[-calls:]
        return {"kinds": kinds, "rtt": rtt, "peer_rtt": peer_rtt, "lobby_rtt": lobby_rtt,
                "to_connected": to_connected[1:], "to_frame": to_frame, "paths": paths,
                "phases": {p: statistics.median(t[p] for t in lines if p in t) for p in PHASES}}
    finally:
        lab.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=5)
    ap.add_argument("--rtt", default="50,100")
    args = ap.parse_args()
    if not os.path.exists(NFQ_DELAY):
        sys.exit(f"{NFQ_DELAY} is not built (libnetfilter-queue-dev)")
    rows = []
    for rtt in (int(x) for x in args.rtt.split(",")):
        for kinds in (("full", "full"), ("symmetric", "symmetric")):
            r = run_config(kinds, rtt, args.calls)
            rows.append(r)
            c = statistics.median(r["to_connected"])
            f = statistics.median(r["to_frame"])
            print(f"{'/'.join(kinds):20} {'+'.join(sorted(r['paths'])):7} RTT {r['peer_rtt']:5.1f} ms "
                  f"(lobby {r['lobby_rtt']:5.1f}): matched→connected {c:6.0f} ms = "
                  f"{c / r['peer_rtt']:4.1f} RTT; next→first frame {f:6.0f} ms = "
                  f"{f / r['peer_rtt']:4.1f} RTT", flush=True)
            ph = r["phases"]
            print("    timeline (ms from the match, median): " +
                  "  ".join(f"{p} {ph[p]:.0f} ({ph[p] / r['peer_rtt']:.1f} RTT)" for p in PHASES),
                  flush=True)
    print(f"{args.calls} calls each; medians")


if __name__ == "__main__":
    main()
