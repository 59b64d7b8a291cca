"""Pixel video in terminals that show pixels (issue #25, point 3), the client choosing by
asking the terminal:

- a real xterm as a VT340 under Xvfb: the client finds sixel by itself, and a
  screenshot shows the peer's picture at pixel level (cells of the video area holding
  many colours); the same xterm as a VT100 gets half blocks (two colours a cell at most);
  the VT340 with the panel inside tmux that passes sequences on (allow-passthrough):
  sixel through tmux, at pixel level too (tmux without it: half blocks, as every panel
  test in tmux shows); kitty itself under Xvfb, through shared memory;
- a terminal of the test's own on a pty that answers like kitty: the client's stream is
  decoded (image id, sizes, payload → the peer's colour bars), and a resize mid-call
  never gives a picture of the wrong size for its cells;
- a terminal that answers nothing, or garbage: half blocks once the 250 ms budget is
  over, never a hang.
"""
import base64
import os
import re
import signal
import struct
import subprocess
import time
import zlib

from harness import CLIENT_BIN, Failure, Scene, run, slowdown
from pty_terminal import PtyTerminal

BARS = ("videotestsrc is-live=true pattern=smpte ! "
        "video/x-raw,width=320,height=240,framerate=15/1")
COLOURS = ("videotestsrc is-live=true pattern=colors ! "
           "video/x-raw,width=320,height=240,framerate=15/1")


def client_args(server, log):
    return [CLIENT_BIN, "--server", server.url, "--name", "me", "--video-source", "test",
            "--audio-source", "test", "--audio-sink", "none", "--video-sink", "terminal",
            "--ice-address", "127.0.0.1", "--log-file", log, "-v"]


def wait_log(log, pattern, timeout=20, term=None):
    """Waits for PATTERN in the client's log; TERM: a PtyTerminal to keep reading
    meanwhile (a terminal that is not read blocks its program)."""
    deadline = time.monotonic() + timeout * slowdown()
    while time.monotonic() < deadline:
        if term:
            term.pump(0.1)
        try:
            with open(log, errors="replace") as f:
                m = re.search(pattern, f.read())
            if m:
                return m
        except OSError:
            pass
        time.sleep(0.1)
    raise Failure(f"{pattern!r} not in the client's log")


# ---- xterm under Xvfb --------------------------------------------------------------

def xwd_pixels(display, wid):
    data = subprocess.run(["xwd", "-id", wid, "-silent"], capture_output=True,
                          env={**os.environ, "DISPLAY": display}, check=True).stdout
    h = struct.unpack(">25I", data[:100])
    header, width, height, order, bpl, ncolors = h[0], h[4], h[5], h[7], h[12], h[19]
    masks = h[14:17]
    pixels = data[header + ncolors * 12:]
    fmt = "<I" if order == 0 else ">I"
    shifts = [(m & -m).bit_length() - 1 for m in masks]

    def at(x, y):
        (p,) = struct.unpack_from(fmt, pixels, y * bpl + x * 4)
        return tuple((p & m) >> s for m, s in zip(masks, shifts))
    return width, height, at


def colours_per_cell(display, title, cols, rows, video_cols, top, bottom, cell=None):
    """Distinct colours in each cell of the video area of the window called TITLE, whose
    COLS x ROWS cells fill it (or are CELL (width, height) pixels each, from the top
    left)."""
    out = subprocess.run(["xwininfo", "-name", title], capture_output=True, text=True,
                         env={**os.environ, "DISPLAY": display}).stdout
    m = re.search(r"Window id: (0x[0-9a-f]+)", out)
    if not m:
        raise Failure(f"no window {title!r}")
    width, height, at = xwd_pixels(display, m.group(1))
    cw, ch = cell or (width // cols, height // rows)
    counts = []
    for row in range(top, bottom):
        for col in range(video_cols):
            seen = {at(col * cw + x, row * ch + y) for y in range(ch) for x in range(cw)}
            counts.append(len(seen))
    return counts


def rich_cells(display, title, share, cell=None):
    """(colours per cell of the video area, how many hold more than two), once at least
    SHARE of the cells do (or after 10 s, scaled); SHARE None: after 1 s (scaled), for a
    terminal expected to show none."""
    deadline = time.monotonic() + (10 if share is not None else 1) * slowdown()
    while True:
        counts = colours_per_cell(display, title, 120, 36, 120 * 11 // 20, 2, 32, cell)
        rich = sum(1 for n in counts if n > 2)
        if (share is not None and rich >= share * len(counts)) or time.monotonic() > deadline:
            return counts, rich
        time.sleep(0.3)


def xterm_case(scene, server, display, ti, tmux=False):
    """TMUX: the panel runs in tmux (no status line, allow-passthrough on) inside xterm."""
    log = f"/tmp/showcast-xterm-{os.getpid()}-{ti}{'-tmux' if tmux else ''}.log"
    title = f"showcast-{ti}{'-tmux' if tmux else ''}"
    peer = scene.client(server, f"peer-{ti}{'-tmux' if tmux else ''}", video=COLOURS)
    peer.expect("waiting")
    cmd = " ".join(f"'{a}'" for a in client_args(server, log))
    inner = ["sh", "-c", cmd]
    if tmux:
        socket = f"sc-gfx-{os.getpid()}"
        inner = ["tmux", "-L", socket, "-f", "/dev/null", "new-session",
                 f"tmux -L {socket} set -g allow-passthrough on; "
                 f"tmux -L {socket} set -g status off; {cmd}"]
    # A bitmap font and no borders: cells on an exact grid.
    xterm = subprocess.Popen(["xterm", "-ti", ti, "-b", "0", "-bw", "0", "-geometry", "120x36",
                              "-fn", "fixed", "-T", title, "-e", *inner],
                             env={**os.environ, "DISPLAY": display, "COLORTERM": ""},
                             stderr=subprocess.DEVNULL)
    try:
        m = wait_log(log, r"terminal graphics: (\w+) \(terminal “([^”]*)”.*asked in (\d+) ms")
        peer.expect("first-frame", timeout=20)
        # The video area: 55 % of 120 columns, rows 1-32 (status bar above, hints below).
        # Pixels show once xterm's own decoder has drawn a picture; half blocks never do.
        counts, rich = rich_cells(display, title, None if ti == "vt100" else 0.25)
        if tmux:
            wait_log(log, r"terminal graphics: through tmux")
        print(f"xterm -ti {ti}{' in tmux' if tmux else ''}: {m.group(1)} ({m.group(2)}, asked in "
              f"{m.group(3)} ms); "
              f"{rich} of {len(counts)} video cells hold more than two colours, "
              f"up to {max(counts)}")
        return m.group(1), rich, len(counts)
    finally:
        xterm.terminate()
        xterm.wait()
        if tmux:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
        peer.stop()


def kitty_real_case(scene, server, display):
    """kitty itself under Xvfb (software OpenGL): it is found by asking, through shared
    memory, and its window shows the peer's picture at pixel level."""
    log = f"/tmp/showcast-kitty-real-{os.getpid()}.log"
    title = "showcast-kitty"
    peer = scene.client(server, "peer-kitty", video=COLOURS)
    peer.expect("waiting")
    # As a person would: the command typed once the terminal is up. kitty's first moments
    # under software OpenGL can outlast the client's 250 ms for answers (seen once).
    cmd = "sleep 1; " + " ".join(f"'{a}'" for a in client_args(server, log))
    kitty = subprocess.Popen(["kitty", "-o", "remember_window_size=no", "-o",
                              "initial_window_width=120c", "-o", "initial_window_height=36c",
                              "-o", "window_padding_width=0", "--title", title,
                              "sh", "-c", cmd],
                             env={**os.environ, "DISPLAY": display, "LIBGL_ALWAYS_SOFTWARE": "1",
                                  "COLORTERM": ""},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        m = wait_log(log, r"terminal graphics: (\w+) \(terminal “([^”]*)”.*cell (\d+)x(\d+) px")
        peer.expect("first-frame", timeout=20)
        shm = wait_log(log, r"terminal graphics: .*shared memory (\w+)")
        cw, ch = int(m.group(3)), int(m.group(4))
        counts, rich = rich_cells(display, title, 0.25, (cw, ch))
        print(f"kitty: {m.group(1)} ({m.group(2)}, shared memory {shm.group(1)}, cell {cw}x{ch} "
              f"px); {rich} of {len(counts)} video cells hold more than two colours")
        if m.group(1) != "kitty" or shm.group(1) != "yes" or rich < len(counts) // 4:
            raise Failure(f"kitty: {m.group(0)}; {rich} of {len(counts)} cells rich")
    finally:
        kitty.terminate()
        kitty.wait()
        peer.stop()


# ---- A terminal of our own on a pty (pty_terminal.py) ------------------------------

def kitty_images(stream):
    """Every complete kitty image in STREAM: (keys of its first chunk, decoded RGB). A
    picture in shared memory (t=s) is read from /dev/shm as kitty would, and removed;
    one already gone gives None."""
    images, keys, payload = [], None, b""
    for m in re.finditer(rb"\x1b_G([^;\x1b]*);?([^\x1b]*)\x1b\\", stream):
        k = dict(kv.split(b"=", 1) for kv in m.group(1).split(b",") if b"=" in kv)
        if keys is None:
            keys, payload = k, b""
        payload += m.group(2)
        if k.get(b"m", b"0") == b"0":
            if keys.get(b"a") == b"T" and keys.get(b"t") == b"s":
                path = "/dev/shm/" + base64.b64decode(payload).decode().lstrip("/")
                try:
                    with open(path, "rb") as f:
                        images.append((keys, f.read()))
                    os.unlink(path)
                except OSError:
                    images.append((keys, None))
            elif keys.get(b"a") == b"T":
                data = base64.b64decode(payload)
                images.append((keys, zlib.decompress(data) if keys.get(b"o") == b"z" else data))
            keys = None
    return images


def pump_until(term, done, timeout=20):
    """Reads the terminal until DONE(output) holds (or TIMEOUT, scaled, has passed)."""
    deadline = time.monotonic() + timeout * slowdown()
    while not done(term.out) and time.monotonic() < deadline:
        term.pump(0.1)


def shm_objects(pid):
    return [n for n in os.listdir("/dev/shm") if n.startswith(f"showcast-{pid}-")]


def kitty_shm_case(server):
    """A kitty on this machine: it reads the shared memory query, so pictures come
    through shared memory; the client leaves at most four objects behind it at any
    time (this terminal reads only now and then), and none once it has quit."""
    log = f"/tmp/showcast-kitty-shm-{os.getpid()}.log"
    term = PtyTerminal(client_args(server, log),
                       b"\x1b_Gi=31;OK\x1b\\\x1b_Gi=32;OK\x1b\\\x1b[?62;c")
    try:
        wait_log(log, r"terminal graphics: kitty", term=term)
        most = 0
        deadline = time.monotonic() + 20 * slowdown()
        while term.out.count(b"t=s,") < 12 and time.monotonic() < deadline:
            term.pump(0.1)
            most = max(most, len(shm_objects(term.pid)))
        images = [(k, rgb) for k, rgb in kitty_images(term.out) if k.get(b"t") == b"s"]
        read = [(k, rgb) for k, rgb in images if rgb is not None]
        if len(images) < 10 or not read or most > 5:
            raise Failure(f"shared memory: {len(images)} pictures, {len(read)} readable, up to "
                          f"{most} objects at once")
        keys, rgb = read[-1]
        w, h = int(keys[b"s"]), int(keys[b"v"])
        if len(rgb) != w * h * 3 or b"o" in keys:
            raise Failure(f"a shared-memory picture of {len(rgb)} bytes for {w}x{h}")
        print(f"kitty through shared memory: {len(images)} pictures, {len(read)} read here, "
              f"at most {most} objects waiting")
    finally:
        pid = term.pid
        term.stop()
    left = shm_objects(pid)
    if left:
        raise Failure(f"shared memory left after the client quit: {left}")


def kitty_case(server):
    log = f"/tmp/showcast-kitty-{os.getpid()}.log"
    term = PtyTerminal(client_args(server, log), b"\x1b_Gi=31;OK\x1b\\\x1b[?62;c")
    try:
        wait_log(log, r"terminal graphics: kitty", term=term)
        # A second of pictures: the first of a call may come before the peer's keyframe.
        pump_until(term, lambda out: out.count(b"\x1b_Ga=T") >= 30)
        images = kitty_images(term.out)
        if len(images) < 5:
            raise Failure(f"{len(images)} kitty images in the stream")
        ids = {k[b"i"] for k, _ in images}
        if len(ids) != 1:
            raise Failure(f"image ids {ids}: one id a stream expected")
        keys, rgb = images[-1]
        w, h, c, r = (int(keys[x]) for x in (b"s", b"v", b"c", b"r"))
        if (w, h) != (c * 8, r * 16) or len(rgb) != w * h * 3:
            raise Failure(f"an image of {w}x{h} for {c}x{r} cells")

        def px(fx, fy):
            i = (int(fy * h) * w + int(fx * w)) * 3
            return tuple(rgb[i:i + 3])
        # The peer's 4:3 bars in a wider area: find the picture's left edge.
        left = next((x for x in range(w) if max(px(x / w, 0.3)) > 60), None)
        if left is None:
            raise Failure(f"the last of {len(images)} kitty pictures is dark where the bars "
                          f"should be")
        left /= w
        span = 1 - 2 * left
        yellow, red = px(left + span * 3 / 14, 0.3), px(left + span * 11 / 14, 0.3)
        if not (yellow[0] > 150 and yellow[1] > 150 and yellow[2] < 90 and
                red[0] > 150 and red[1] < 90 and red[2] < 90):
            raise Failure(f"the decoded picture is not the bars: yellow {yellow}, red {red}")
        print(f"kitty: {len(images)} images, id {ids.pop().decode()}, {w}x{h} px for {c}x{r} "
              f"cells; bars decoded (yellow {yellow}, red {red})")

        # Resized mid-call: every image fits its cells, and the new size comes.
        term.out = bytearray()
        term.resize(100, 30, (8, 16))
        os.kill(term.pid, signal.SIGWINCH)
        new = f"c={100 * 11 // 20},r=27,".encode()
        pump_until(term, lambda out: out.count(new) >= 3)
        after = kitty_images(term.out)
        sizes = set()
        for keys, rgb in after:
            w, h, c, r = (int(keys[x]) for x in (b"s", b"v", b"c", b"r"))
            if (w, h) != (c * 8, r * 16) or len(rgb) != w * h * 3:
                raise Failure(f"after the resize: an image of {w}x{h} for {c}x{r} cells")
            sizes.add((c, r))
        if (100 * 11 // 20, 27) not in sizes:
            raise Failure(f"after the resize the images were for {sizes} cells")
        print(f"kitty after a resize: {len(after)} images, cells {sorted(sizes)}")
    finally:
        term.stop()


def silent_case(server, answer, what):
    log = f"/tmp/showcast-silent-{os.getpid()}-{what}.log"
    term = PtyTerminal(client_args(server, log), answer)
    try:
        m = wait_log(log, r"terminal graphics: (\w+) .*asked in (\d+) ms", term=term)
        # The call's first pictures, in half blocks.
        pump_until(term, lambda out: out.count("▀".encode()) > 500)
        if m.group(1) != "blocks" or not 240 <= int(m.group(2)) < 1000 * slowdown():
            raise Failure(f"{what}: {m.group(0)}")
        if "▀".encode() not in term.out or b"\x1b_G" in term.out[200:] or b"\x1bP" in term.out[200:]:
            raise Failure(f"{what}: no half blocks, or graphics anyway")
        print(f"{what}: blocks after {m.group(2)} ms")
    finally:
        term.stop()


def test():
    with Scene() as scene:
        server = scene.server()

        read_end, write_end = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0",
                                 "1280x800x24", "-nolisten", "tcp", "-noreset"],
                                pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            display = ":" + pipe.readline().strip()
        try:
            mode, rich, total = xterm_case(scene, server, display, "vt340")
            if mode != "sixel" or rich < total // 4:
                raise Failure(f"xterm as a VT340: {mode}, {rich} of {total} cells rich")
            mode, rich, total = xterm_case(scene, server, display, "vt100")
            if mode != "blocks" or rich > 0:
                raise Failure(f"xterm as a VT100: {mode}, {rich} of {total} cells with more "
                              f"than two colours")
            mode, rich, total = xterm_case(scene, server, display, "vt340", tmux=True)
            if mode != "sixel" or rich < total // 4:
                raise Failure(f"xterm as a VT340, through tmux: {mode}, {rich} of {total} rich")
            kitty_real_case(scene, server, display)
        finally:
            xvfb.terminate()
            xvfb.wait()

        peer = scene.client(server, "bars", video=BARS)
        peer.expect("waiting")
        kitty_case(server)
        peer.expect("peer-left", timeout=10)
        kitty_shm_case(server)
        peer.expect("peer-left", timeout=10)
        silent_case(server, b"", "a terminal that answers nothing")
        silent_case(server, os.urandom(300).replace(b"c", b"x"), "a terminal that answers garbage")


run(test)
