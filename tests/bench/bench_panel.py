#!/usr/bin/env python3
"""Terminal video end to end: the real panel in tmux at 80x24 and 200x60, a peer sending
30 fps, 24-bit colour. Prints the frames per second the panel painted (from its log) and
the CPU share of the whole client process (from /proc). Run inside a loopback-only
namespace:  tests/netns-run python3 tests/bench/bench_panel.py"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from harness import Scene  # noqa: E402
from panel import Panel  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(scene, server, cols, rows, pattern):
    peer = scene.client(server, f"peer{cols}{pattern}", video=(
        f"videotestsrc is-live=true pattern={pattern} ! video/x-raw,width=640,height=480,framerate=30/1"))
    panel = Panel(server, f"viewer{cols}{pattern}", width=cols, height=rows,
                  env={"COLORTERM": "truecolor"}, extra=["--video-sink", "terminal"], video=None)
    scene.procs.append(panel)
    panel.wait_for("in call with")
    time.sleep(3)
    pid = panel.client_pid()
    c0, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(11)
    share = (cpu_seconds(pid) - c0) / (time.monotonic() - t0)
    fps = re.findall(r"terminal video: ([0-9.]+) fps", open(panel.log).read())
    print(f"  {cols}x{rows}, {pattern:5s}: {float(fps[-1]) if fps else 0:5.1f} frames/s painted, "
          f"client CPU {share * 100:5.1f} % of one core (decode, scale, draw, and its own "
          f"640x480 encode)", flush=True)
    panel.keys("C-q")
    peer.expect("peer-left", timeout=10)
    peer.stop()
    panel.stop()


def main():
    print("terminal video in the panel (tmux), peer at 640x480@30:")
    with Scene() as scene:
        server = scene.server()
        for cols, rows in ((80, 24), (200, 60)):
            for pattern in ("ball", "snow"):
                measure(scene, server, cols, rows, pattern)


if __name__ == "__main__":
    main()
