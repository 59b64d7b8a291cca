"""--video-sink window under Xvfb: the remote test pattern shows in a window whose title
holds the peer's name, and a screenshot of it is not uniform. When the peer leaves, the
window goes; the next peer's window never shows the previous peer's picture. The viewer's
own picture (plain blue) shows in the window's bottom right corner, and goes with
{"cmd":"self","on":false} (issue #25's self-view)."""
import os
import struct
import subprocess
import time

from harness import Failure, Scene, run

DISPLAY = None   # set when Xvfb has started


def windows():
    """{window id: title} of the top-level windows."""
    out = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True,
                         env={**os.environ, "DISPLAY": DISPLAY}).stdout
    found = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("0x") and '"' in line:
            wid, rest = line.split(" ", 1)
            found[wid] = rest.split('"')[1]
    return found


def wait_window(needle, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for wid, title in windows().items():
            if needle in title:
                return wid, title
        time.sleep(0.1)
    raise Failure(f"no window titled with {needle!r}; windows: {windows()}")


def screenshot(wid, region=None):
    """The window's pixels as a set of distinct (r, g, b), from xwd's ZPixmap dump;
    REGION: (x0, y0, x1, y1) as fractions of the window, the whole window by default."""
    data = subprocess.run(["xwd", "-id", wid, "-silent"], capture_output=True,
                          env={**os.environ, "DISPLAY": DISPLAY}, check=True).stdout
    h = struct.unpack(">25I", data[:100])
    header_size, bpp, bytes_per_line = h[0], h[11], h[12]
    width, height, byte_order, ncolors = h[4], h[5], h[7], h[19]
    masks = h[14:17]
    if bpp != 32:
        raise Failure(f"unexpected xwd depth {bpp}")
    pixels = data[header_size + ncolors * 12:]
    fmt = "<I" if byte_order == 0 else ">I"
    x0, y0, x1, y1 = region or (0, 0, 1, 1)
    colours = set()
    for y in range(int(height * y0), int(height * y1), 4):
        row = pixels[y * bytes_per_line:(y + 1) * bytes_per_line]
        for x in range(int(width * x0), int(width * x1), 4):
            (p,) = struct.unpack_from(fmt, row, x * 4)
            colours.add(tuple((p & m) >> (m & -m).bit_length() - 1 for m in masks))
    return colours


def test():
    with Scene() as scene:
        # -noreset: an X server resets when its last client leaves, dropping every
        # connection; the short-lived xwininfo clients below would trigger that.
        # -displayfd: the server picks a free display (lock files in /tmp are shared with
        # every other network namespace) and writes its number to the pipe.
        read_end, write_end = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "800x600x24",
                                 "-nolisten", "tcp", "-noreset"], pass_fds=(write_end,),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise Failure("Xvfb did not start")
        global DISPLAY
        DISPLAY = f":{number}"
        try:
            time.sleep(0.5)
            os.environ["DISPLAY"] = DISPLAY
            server = scene.server()
            viewer = scene.client(server, "viewer", extra=["--video-sink", "window"], video=(
                "videotestsrc is-live=true pattern=solid-color foreground-color=0xff0000ff ! "
                "video/x-raw,width=320,height=240,framerate=15/1"))
            # (harness passes --video-sink none first; the later option wins)
            first = scene.client(server, "Wínd🦊w ✓", video=(
                "videotestsrc is-live=true pattern=smpte ! video/x-raw,width=320,height=240,framerate=15/1"))
            viewer.expect("first-frame", timeout=15)
            wid, title = wait_window("Wínd🦊w ✓")
            time.sleep(1.0)
            colours = screenshot(wid)
            if len(colours) < 5:
                raise Failure(f"the window is nearly uniform: {sorted(colours)[:10]}")
            print(f"window {title!r}: {len(colours)} distinct colours")

            # The peer leaves: the window goes.
            first.send({"cmd": "quit"})
            viewer.expect("peer-left", timeout=10)
            deadline = time.monotonic() + 5
            while any("Wínd🦊w" in t for t in windows().values()) and time.monotonic() < deadline:
                time.sleep(0.1)
            if any("Wínd🦊w" in t for t in windows().values()):
                raise Failure("the first peer's window stayed after they left")

            # The next peer sends plain red: its window must never show the bars.
            scene.client(server, "Redd", video=(
                "videotestsrc is-live=true pattern=red ! video/x-raw,width=320,height=240,framerate=15/1"))
            viewer.expect("first-frame", timeout=15)
            wid, title = wait_window("Redd")

            def red(c):
                return c[0] > 200 and c[1] < 60 and c[2] < 60

            def blue(c):
                return c[2] > 200 and c[0] < 60 and c[1] < 60

            for _ in range(10):
                colours = screenshot(wid)
                stale = [c for c in colours if not red(c) and not blue(c) and c != (0, 0, 0)]
                if stale:
                    raise Failure(f"the new peer's window shows other colours: {stale[:5]}")
                time.sleep(0.1)
            # The self-view: the viewer's blue in the bottom right corner, nowhere else.
            deadline = time.monotonic() + 10
            corner = set()
            while time.monotonic() < deadline:
                corner = screenshot(wid, (0.78, 0.78, 0.95, 0.95))
                if any(blue(c) for c in corner):
                    break
                time.sleep(0.1)
            if not any(blue(c) for c in corner) or \
                    any(blue(c) for c in screenshot(wid, (0, 0, 0.7, 0.7))):
                raise Failure(f"no self-view in the corner: {sorted(corner)[:5]}")
            viewer.send({"cmd": "self", "on": False})
            viewer.expect("self")
            deadline = time.monotonic() + 5
            while any(blue(c) for c in screenshot(wid)) and time.monotonic() < deadline:
                time.sleep(0.1)
            if any(blue(c) for c in screenshot(wid)):
                raise Failure("the self-view stayed after {\"cmd\":\"self\",\"on\":false}")
            viewer.send({"cmd": "status"})
            if viewer.expect("status")["self_view"] is not False:
                raise Failure("status says the self-view is still on")
            print("self-view: blue in the corner, gone when switched off")
        finally:
            xvfb.terminate()
            xvfb.wait()


run(test)
