"""Remote video drawn in the terminal: with --video-sink terminal, the captured pane
(tmux capture-pane -e) shows many distinct colours in the video area, as 24-bit colour
when COLORTERM says the terminal takes it and from the 256-colour cube otherwise. The
key F4 switches the video off and back on. The self-view (issue #25): the panel's own
test picture (dark slate) shows over a corner of a plain green peer; F5 hides it, and
"/self on" brings it back."""
import re
import time

from harness import Failure, Scene, run
from panel import Panel

COLOURFUL = ("videotestsrc is-live=true pattern=colors ! "
             "video/x-raw,width=320,height=240,framerate=15/1")
VIDEO_COLS = 120 * 11 // 20
# The panel's own accents from the 256-colour palette (ui/sc-theme.c): text, not video.
THEME_ACCENTS = {("38", "5", str(n)) for n in (33, 160, 28, 166, 127)}


def colours_in_video_area(panel, kind):
    """Distinct foreground/background colours of kind '2' (RGB) or '5' (indexed) in the
    video area (rows below the status bar, columns left of the divider)."""
    found = set()
    for row in panel.screen(escapes=True).split("\n")[1:34]:
        # Keep the part of the row before the divider (escapes take no cells).
        for m in re.finditer(r"\x1b\[([0-9;]*)m", row.split("│")[0]):
            params = m.group(1).split(";")
            i = 0
            while i < len(params):
                if params[i] in ("38", "48") and i + 1 < len(params) and params[i + 1] == kind:
                    n = 5 if kind == "2" else 3
                    found.add(tuple(params[i:i + n]))
                    i += n
                else:
                    i += 1
    return found


def check(scene, server, env, kind, minimum):
    peer = scene.client(server, f"colours{kind}", video=COLOURFUL)
    panel = Panel(server, f"viewer{kind}", width=120, height=36, env=env,
                  extra=["--video-sink", "terminal"])
    scene.procs.append(panel)
    panel.wait_for(r"in call with colours")
    deadline = time.monotonic() + 15
    colours = set()
    while time.monotonic() < deadline:
        colours = colours_in_video_area(panel, kind)
        if len(colours) >= minimum:
            break
        time.sleep(0.3)
    if len(colours) < minimum:
        raise Failure(f"only {len(colours)} distinct colours (kind {kind}) in the video area:\n"
                      f"{panel.screen(escapes=True)[:2000]!r}")
    print(f"{'24-bit' if kind == '2' else '256-colour'}: {len(colours)} distinct colours")

    # F4 cycles the video mode: terminal → off (no display here) → terminal.
    panel.keys("F4")
    panel.wait_for(r"│ off")
    left = colours_in_video_area(panel, kind) - THEME_ACCENTS
    if left:
        raise Failure(f"video colours remain after switching the video off: {sorted(left)[:5]}")
    panel.keys("F4")
    panel.wait_for(r"│ terminal")
    deadline = time.monotonic() + 10
    while len(colours_in_video_area(panel, kind)) < minimum and time.monotonic() < deadline:
        time.sleep(0.2)
    if len(colours_in_video_area(panel, kind)) < minimum:
        raise Failure("the video did not come back after switching it on again")
    panel.keys("C-q")
    peer.expect("peer-left", timeout=10)
    peer.stop()
    panel.stop()


def slate_cells(panel):
    """Cells of the video area drawn in the test picture's slate (#203040, 24-bit)."""
    n = 0
    for row in panel.screen(escapes=True).split("\n")[1:34]:
        for m in re.finditer(r"\x1b\[([0-9;]*)m", row.split("│")[0]):
            p = m.group(1).split(";")
            for i in range(len(p) - 4):
                if p[i] in ("38", "48") and p[i + 1] == "2":
                    r, g, b = (int(x) for x in p[i + 2:i + 5])
                    n += abs(r - 0x20) < 24 and abs(g - 0x30) < 24 and abs(b - 0x40) < 24
    return n


def wait_slate(panel, present, timeout=10):
    deadline = time.monotonic() + timeout
    while (slate_cells(panel) > 0) != present and time.monotonic() < deadline:
        time.sleep(0.2)
    if (slate_cells(panel) > 0) != present:
        raise Failure(f"self-view {'missing' if present else 'still there'}:\n"
                      f"{panel.screen()}")


def check_self_view(scene, server):
    green = ("videotestsrc is-live=true pattern=solid-color foreground-color=0xff00c000 ! "
             "video/x-raw,width=320,height=240,framerate=15/1")
    peer = scene.client(server, "green", video=green)
    panel = Panel(server, "me", width=120, height=36, env={"COLORTERM": "truecolor"},
                  extra=["--video-sink", "terminal"], video=None)
    scene.procs.append(panel)
    panel.wait_for(r"in call with green")
    wait_slate(panel, True)
    panel.keys("F5")
    panel.wait_for(r"Self-view off\.")
    wait_slate(panel, False)
    panel.type("/self on")
    panel.keys("Enter")
    panel.wait_for(r"Self-view on\.")
    wait_slate(panel, True)
    print(f"self-view: {slate_cells(panel)} cells of the own picture; F5 and /self work")
    panel.keys("C-q")
    peer.expect("peer-left", timeout=10)
    peer.stop()
    panel.stop()


def test():
    with Scene() as scene:
        server = scene.server()
        check_self_view(scene, server)
        check(scene, server, {"COLORTERM": "truecolor"}, "2", 100)
        check(scene, server, {"COLORTERM": ""}, "5", 30)


run(test)
