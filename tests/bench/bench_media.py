#!/usr/bin/env python3
"""Call media benchmark (issue #6): glass-to-glass latency, and one client's CPU share
and peak memory in a call at 640x480@30 with each kind of video sink. Run inside a
loopback-only namespace:
    tests/netns-run python3 tests/bench/bench_media.py [--seconds 10] [--windows 5]

Glass-to-glass: both clients run with --stamp-frames; the sender draws each picture's
capture time (CLOCK_MONOTONIC) into its top rows before encoding, the receiver reads it
back from the decoded picture and reports the age as a frame-delay event. Both are on
this machine, so they share the clock.

Resources: the measured client sends the default test pattern (640x480@30, VP8 and
Opus) and receives the same from a peer; CPU is its user+system time over a window, as
a share of one core, and the figure is the median of several windows in one call;
peak RSS is VmHWM. No sink: headless, --video-sink none.
Window: headless, --video-sink window, on Xvfb. Terminal: the real panel in tmux at
120x36, 24-bit colour, --video-sink terminal."""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from harness import Scene  # noqa: E402
from panel import Panel  # noqa: E402

FULL = "test"   # the client's default test pattern: 640x480@30
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def peak_rss_mib(pid):
    status = open(f"/proc/{pid}/status").read()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024


def pct(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def glass_to_glass(seconds):
    with Scene() as scene:
        server = scene.server()
        a = scene.client(server, "sender", video=FULL, extra=["--stamp-frames"])
        b = scene.client(server, "receiver", video=FULL, extra=["--stamp-frames"])
        b.expect("first-frame", timeout=20)
        a.expect("first-frame", timeout=20)
        # Past the first frames, which waited for the connection.
        settle = time.monotonic() + 1
        while time.monotonic() < settle:
            b.next_event(0.1)
        delays = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            e = b.next_event(0.2)
            if e and e.get("event") == "frame-delay":
                delays.append(e["ms"])
    if not delays:
        print("glass-to-glass: no stamped frame was read")
        return
    print(f"glass-to-glass (capture → decoded at the peer), 640x480@30, {len(delays)} frames "
          f"in {seconds} s:")
    print(f"  p50 {pct(delays, 50):.1f} ms   p95 {pct(delays, 95):.1f} ms   "
          f"min {min(delays):.1f} ms   max {max(delays):.1f} ms")


def measure(label, pid, seconds, windows):
    """CPU share over @windows consecutive windows of @seconds each: this machine's
    scheduling noise moves a single window by a point or more, so the median is the
    figure, with the range beside it."""
    shares = []
    for _ in range(windows):
        c0, t0 = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        shares.append((cpu_seconds(pid) - c0) / (time.monotonic() - t0) * 100)
    spread = f" (windows {min(shares):.1f}–{max(shares):.1f})" if windows > 1 else ""
    print(f"  {label:9s} CPU {statistics.median(shares):5.1f} % of one core{spread}   "
          f"peak RSS {peak_rss_mib(pid):5.1f} MiB", flush=True)


def start_xvfb():
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "800x600x24",
                             "-nolisten", "tcp", "-noreset"], pass_fds=(write_end,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    return xvfb, f":{number}"


def resources(seconds, windows, video, sinks):
    print(f"one client in a call, 640x480@30 both ways, video source {video!r}, median of "
          f"{windows} windows of {seconds} s:")
    for sink in [s for s in ("none", "window") if s in sinks]:
        xvfb = None
        if sink == "window":
            xvfb, display = start_xvfb()
            os.environ["DISPLAY"] = display
        try:
            with Scene() as scene:
                server = scene.server()
                me = scene.client(server, "measured", video=video, extra=["--video-sink", sink])
                scene.client(server, "peer", video=video)
                me.expect("first-frame", timeout=20)
                time.sleep(2)
                measure("no sink" if sink == "none" else "window", me.proc.pid, seconds, windows)
        finally:
            if xvfb:
                os.environ.pop("DISPLAY", None)
                xvfb.terminate()
                xvfb.wait()

    if "terminal" not in sinks:
        return
    with Scene() as scene:
        server = scene.server()
        panel = Panel(server, "measured", width=120, height=36, env={"COLORTERM": "truecolor"},
                      extra=["--video-sink", "terminal"], video=None)
        scene.procs.append(panel)
        scene.client(server, "peer", video=video)
        panel.wait_for("in call with")
        time.sleep(2)
        measure("terminal", panel.client_pid(), seconds, windows)
        panel.keys("C-q")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--windows", type=int, default=5,
                    help="CPU windows of --seconds each per sink; the median is printed")
    ap.add_argument("--only", choices=("glass", "resources"))
    ap.add_argument("--video", default=FULL,
                    help="video source of both clients in the resources part (default: the "
                         "client's test picture, 640x480@30)")
    ap.add_argument("--sinks", default="none,window,terminal")
    args = ap.parse_args()
    if args.only != "resources":
        glass_to_glass(args.seconds)
    if args.only != "glass":
        resources(args.seconds, args.windows, args.video, args.sinks.split(","))


if __name__ == "__main__":
    main()
