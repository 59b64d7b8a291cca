#!/usr/bin/env python3
"""Terminal video by mode, end to end: the real panel on a pty of 120x40 cells of 8x16
pixels (a terminal of the bench's own that answers as kitty, as a sixel terminal, or
with half blocks only), a peer sending 640x480 at 30 fps. For each mode and picture it
prints the pictures painted a second (counted in what the client wrote), the client's
CPU (the whole process: decoding, scaling, drawing, and its own capture and encoding)
and the bytes written to the terminal a second. Run inside a loopback-only namespace:
  tests/netns-run python3 tests/bench/bench_terminal_graphics.py"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from harness import CLIENT_BIN, Scene  # noqa: E402
from pty_terminal import PtyTerminal  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
SECONDS = 10
ANSWERS = {
    "blocks": b"\x1b[?62;c",
    "sixel": b"\x1b[?1;0;1024S\x1b[?62;4c",
    "kitty": b"\x1b_Gi=31;OK\x1b\\\x1b[?62;c",
    # A kitty on this machine: it reads the shared-memory query (the bench's terminal
    # reads no pictures; the client removes what is not read four pictures on).
    "kitty-shm": b"\x1b_Gi=31;OK\x1b\\\x1b_Gi=32;OK\x1b\\\x1b[?62;c",
}
# What starts one picture in each mode's output.
MARKS = {"blocks": b"\x1b7", "sixel": b"\x1bP0;0;0q", "kitty": b"\x1b_Ga=T",
         "kitty-shm": b"\x1b_Ga=T"}


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(scene, server, mode, pattern):
    peer = scene.client(server, f"peer-{mode}-{pattern}", video=(
        f"videotestsrc is-live=true pattern={pattern} ! "
        "video/x-raw,width=640,height=480,framerate=30/1"))
    peer.expect("waiting")
    log = f"/tmp/showcast-bench-{os.getpid()}-{mode}.log"
    term = PtyTerminal([CLIENT_BIN, "--server", server.url, "--name", "viewer",
                        "--video-source", "test", "--audio-source", "test", "--audio-sink",
                        "none", "--video-sink", "terminal", "--ice-address", "127.0.0.1",
                        "--log-file", log, "-v"], ANSWERS[mode], cols=120, rows=40,
                       cell=(8, 16))
    try:
        # The terminal must be read meanwhile: a terminal nobody reads stops its program.
        deadline = time.monotonic() + 30
        while not any(e["event"] == "first-frame" for e in peer.seen):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no call: {peer.brief()}")
            term.pump(0.1)
            peer.next_event(0.01)
        term.pump(3)
        term.out = bytearray()
        c0, t0 = cpu_seconds(term.pid), time.monotonic()
        term.pump(SECONDS)
        elapsed = time.monotonic() - t0
        cpu = (cpu_seconds(term.pid) - c0) / elapsed
        frames = term.out.count(MARKS[mode]) / elapsed
        print(f"  {mode:9s} {pattern:6s}: {frames:5.1f} pictures/s, client CPU "
              f"{cpu * 100:5.1f} % of a core, {len(term.out) / elapsed / 1e6:6.2f} MB/s to the "
              f"terminal", flush=True)
    finally:
        term.stop()
        peer.stop()


def main():
    print(f"120x40 cells of 8x16 px (video area 66x37 cells), a 640x480 peer at 30 fps, "
          f"{SECONDS} s each:")
    with Scene() as scene:
        server = scene.server()
        for pattern in ("smpte", "snow"):
            for mode in ("blocks", "kitty", "kitty-shm", "sixel"):
                measure(scene, server, mode, pattern)


if __name__ == "__main__":
    main()
