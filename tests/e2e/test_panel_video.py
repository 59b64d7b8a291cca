"""Remote video drawn in the terminal: with --video-sink terminal, the captured pane
(tmux capture-pane -e) shows many distinct colours in the video area, as 24-bit colour
when COLORTERM says the terminal takes it and from the 256-colour cube otherwise. The
key F4 switches the video off and back on."""
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


def test():
    with Scene() as scene:
        server = scene.server()
        check(scene, server, {"COLORTERM": "truecolor"}, "2", 100)
        check(scene, server, {"COLORTERM": ""}, "5", 30)


run(test)
