#!/usr/bin/env python3
"""Skip benchmark: headless clients on loopback, many nexts; prints p50/p95 of
next → matched, matched → connected, connected → first-frame and next → first-frame,
and matched → first-frame of the first call. Run inside a loopback-only namespace:
    tests/netns-run python3 tests/bench/bench_skip.py --nexts 100
Times are taken where the harness reads each event (sub-millisecond after the client
prints it)."""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from harness import Failure, Scene, drop_udp, dropped_packets  # noqa: E402


def resources(pid):
    """RSS (MiB), open fds and threads of a process."""
    status = open(f"/proc/{pid}/status").read()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
    return rss, len(os.listdir(f"/proc/{pid}/fd")), threads


def peak_rss_mib(pid):
    status = open(f"/proc/{pid}/status").read()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timelines(clients):
    """The clients' own set-up timelines (logged with -v once a call has decoded its first
    frame and sent its own first one): {mark: [ms from the call's creation]}, and how
    long stopping a call took."""
    marks, stops = {}, []
    for c in clients:
        with open(c.stderr_path, errors="replace") as f:
            for line in f:
                m = re.search(r"set-up timeline \((\w+)", line)
                if m:
                    for name, ms in re.findall(r" ([a-z-]+)=([0-9.]+)", line):
                        marks.setdefault((m.group(1), name), []).append(float(ms))
                m = re.search(r"call stopped in ([0-9.]+) ms", line)
                if m:
                    stops.append(float(m.group(1)))
    return marks, stops


def pct(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def expect_both(client, first, second, timeout=20):
    """Both events, in either order: a picture can be decoded before webrtcbin reports the
    call connected (its state is computed on its own thread, after the DTLS handshake)."""
    got = {}
    deadline = time.monotonic() + timeout
    while len(got) < 2:
        e = client.next_event(max(deadline - time.monotonic(), 0))
        if e is None or e["event"] == "_eof":
            raise Failure(f"{client.name}: no {first} and {second} within {timeout} s; "
                          f"seen {client.brief()}")
        if e["event"] in (first, second) and e["event"] not in got:
            got[e["event"]] = e
    return got[first], got[second]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--nexts", type=int, default=100)
    ap.add_argument("--video", default="test", help="video source of every client")
    ap.add_argument("--starve", type=int, default=0, metavar="N",
                    help="N busy processes at normal priority beside the clients: a starved "
                         "CPU, where stopped calls wait longest to be torn down")
    ap.add_argument("--loss", type=int, default=0, metavar="PERCENT",
                    help="drop PERCENT %% of the UDP packets (media, ICE, DTLS) arriving "
                         "in the namespace: set-up on a lossy network")
    args = ap.parse_args()
    if args.loss:
        drop_udp(args.loss)
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(args.starve)]
    try:
        run(args)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def run(args):
    rng = random.Random(1)
    series = {"next→matched": [], "matched→connected": [], "connected→first-frame": [],
              "matched→first-frame": [], "next→first-frame": []}

    with Scene() as scene:
        # Skips come faster than a person's: the per-session next limit (burst 5, then
        # one a second) would be measured instead of the set-up.
        server = scene.server(extra=["--no-session-limits"])
        clients = [scene.client(server, f"c{i}", video=args.video, audio="test")
                   for i in range(args.clients)]
        by_id = {c.expect("signed-in")["id"]: c for c in clients}
        partner = {}
        first_calls = []
        # Wait for everyone to be in a call.
        for c in clients:
            m = c.expect("matched", timeout=20)
            partner[c] = by_id[m["peer"]["id"]]
            ff = c.expect("first-frame", timeout=20)
            first_calls.append((ff["_rx"] - m["_rx"]) * 1000)

        snapshots = {}
        peak_fds, peak_threads = [0] * len(clients), [0] * len(clients)
        server_cpu0 = cpu_seconds(server.proc.pid)
        for n in range(args.nexts):
            now = [resources(c.proc.pid) for c in clients]
            peak_fds = [max(p, f) for p, (_, f, _) in zip(peak_fds, now)]
            peak_threads = [max(p, t) for p, (_, _, t) in zip(peak_threads, now)]
            if n in (50, 500) or n == args.nexts - 1:
                snapshots[n] = now
            skipper = rng.choice([c for c in clients if c in partner])
            other = partner.pop(skipper)
            partner.pop(other, None)
            t0 = time.monotonic()
            skipper.send({"cmd": "next"})
            other.expect("peer-left", timeout=10)
            m = skipper.expect("matched", timeout=20)
            conn, ff = expect_both(skipper, "connected", "first-frame")
            peer = by_id[m["peer"]["id"]]
            partner[skipper], partner[peer] = peer, skipper
            # Let the new partner (and anyone else who was rematched) settle too.
            peer.expect("first-frame", timeout=20)
            series["next→matched"].append((m["_rx"] - t0) * 1000)
            series["matched→connected"].append((conn["_rx"] - m["_rx"]) * 1000)
            series["connected→first-frame"].append((ff["_rx"] - conn["_rx"]) * 1000)
            series["matched→first-frame"].append((ff["_rx"] - m["_rx"]) * 1000)
            series["next→first-frame"].append((ff["_rx"] - t0) * 1000)
            if other not in partner:
                mo = other.expect("matched", timeout=20)
                po = by_id[mo["peer"]["id"]]
                partner[other], partner[po] = po, other
                other.expect("first-frame", timeout=20)

        server_cpu = cpu_seconds(server.proc.pid) - server_cpu0
        peak_rss = [peak_rss_mib(c.proc.pid) for c in clients]
        marks, stops = timelines(clients)
        errors = [e for c in clients for e in c.seen if e.get("event") == "error"]

    print(f"skip benchmark: {args.clients} clients, {args.nexts} nexts, video {args.video}"
          + (f", {args.starve} busy processes beside them" if args.starve else "")
          + (f", {args.loss} % of UDP packets dropped ({dropped_packets()} in all)"
             if args.loss else ""))
    for e in errors[:5]:
        print(f"  error event: {e.get('code')}: {e.get('message')}")
    for n, snap in sorted(snapshots.items()):
        print(f"  after {n:4d} nexts: client RSS " + ", ".join(f"{r:.0f}" for r, _, _ in snap) +
              " MiB; fds " + ", ".join(str(f) for _, f, _ in snap) +
              "; threads " + ", ".join(str(t) for _, _, t in snap))
    print("  peak over the run: client RSS " + ", ".join(f"{r:.0f}" for r in peak_rss) +
          " MiB; fds " + ", ".join(map(str, peak_fds)) +
          "; threads " + ", ".join(map(str, peak_threads)))
    print(f"  server CPU per call set-up (next, match, relayed negotiation): "
          f"{server_cpu * 1000 / max(args.nexts, 1):.2f} ms")
    print(f"  first call, matched→first-frame: median {statistics.median(first_calls):.0f} ms")
    for name, values in series.items():
        print(f"  {name:24s} p50 {pct(values, 50):7.1f} ms   p95 {pct(values, 95):7.1f} ms"
              f"   p99 {pct(values, 99):7.1f} ms   max {max(values):7.1f} ms")
    for role in ("offerer", "answerer"):
        print(f"  inside the {role}, ms from its match:")
        rows = [(name, v) for (r, name), v in marks.items() if r == role]
        for name, values in sorted(rows, key=lambda kv: pct(kv[1], 50)):
            print(f"    {name:22s} p50 {pct(values, 50):7.1f}   p95 {pct(values, 95):7.1f}")
    if stops:
        print(f"  stopping a call (pipeline to NULL): p50 {pct(stops, 50):.1f} ms, "
              f"p95 {pct(stops, 95):.1f} ms")


if __name__ == "__main__":
    main()
