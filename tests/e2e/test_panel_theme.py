"""The panel in any theme (issue #25, point 4), read from tmux with its attributes: text
in the terminal's default colours, bars in those colours reversed, accents from the
256-colour palette that read on black and on white (the peer's name #d75f00, not the
yellow that vanished on light themes; tests/unit/test-theme.c checks each contrast),
and with NO_COLOR set no colour at all: names and bars still stand out by bold and
reverse. Both panels show no video (--video-sink none): the peer's picture is content
and keeps its colours."""
import re

from harness import Failure, Scene, run
from panel import Panel

SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def colours(params):
    """The colour settings in one SGR parameter list: (fg|bg, basic|256|rgb, value)."""
    out, p = [], [int(x) if x else 0 for x in re.split(r"[;:]", params)]
    i = 0
    while i < len(p):
        n = p[i]
        if n in (38, 48):
            kind = "fg" if n == 38 else "bg"
            if i + 1 < len(p) and p[i + 1] == 5:
                out.append((kind, "256", p[i + 2]))
                i += 3
                continue
            if i + 1 < len(p) and p[i + 1] == 2:
                out.append((kind, "rgb", tuple(p[i + 2:i + 5])))
                i += 5
                continue
        elif 30 <= n <= 37 or 90 <= n <= 97:
            out.append(("fg", "basic", n))
        elif 40 <= n <= 47 or 100 <= n <= 107:
            out.append(("bg", "basic", n))
        i += 1
    return out


def attributes_before(screen, text):
    """The SGR parameters in force where TEXT starts on SCREEN (tmux capture -e)."""
    at = screen.find(text)
    if at < 0:
        raise Failure(f"{text!r} not on screen:\n{screen}")
    line_start = screen.rfind("\n", 0, at) + 1
    state = []
    for m in SGR.finditer(screen, line_start, at):
        state = [] if m.group(1) in ("", "0") else state + [m.group(1)]
    return ";".join(state)


def meet(scene, server, peer_name, env):
    peer = scene.client(server, peer_name)
    peer.expect("waiting")
    panel = Panel(server, "Tester", env=env, extra=["--video-sink", "none"])
    scene.procs.append(panel)
    panel.wait_for(rf"You are now talking to {peer_name}")
    peer.has_seen_or_expect("chat-open", timeout=10)
    peer.send({"cmd": "say", "text": "can you read me"})
    panel.wait_for(rf"{peer_name}: can you read me")
    return peer, panel


def test():
    with Scene() as scene:
        server = scene.server()

        # Colours: the 256-colour accents, default text, reversed bars.
        peer, panel = meet(scene, server, "Zoë", {})
        screen = panel.screen(escapes=True)
        name = attributes_before(screen, "Zoë: ")
        if ("fg", "256", 166) not in colours(name):
            raise Failure(f"the peer's name is drawn with {name!r}, expected colour 166")
        said = attributes_before(screen, "can you read me")
        if colours(said):
            raise Failure(f"the peer's text is coloured: {said!r}")
        status = attributes_before(screen, "in call with Zoë")
        if "7" not in re.split(r"[;:]", status) or colours(status):
            raise Failure(f"the status bar is drawn with {status!r}: expected reverse video of "
                          f"the terminal's own colours")
        washed_out = {"basic": (33, 36, 37, 93, 96, 97), "256": (3, 6, 7, 11, 14, 15, 226, 51)}
        for m in SGR.finditer(screen):
            for kind, space, value in colours(m.group(1)):
                # Yellow, cyan and white wash out on light themes; a background of the
                # panel's own would fight the user's.
                if value in washed_out.get(space, ()) or kind == "bg":
                    raise Failure(f"colour {kind} {value} on screen: {m.group(0)!r}")
        panel.keys("C-q")
        panel.wait_exit()
        peer.stop()

        # NO_COLOR: not one colour; the name and the bars still stand out.
        peer, panel = meet(scene, server, "Ada", {"NO_COLOR": "1"})
        screen = panel.screen(escapes=True)
        found = [m.group(0) for m in SGR.finditer(screen) if colours(m.group(1))]
        if found:
            raise Failure(f"NO_COLOR: colours on screen: {found[:5]}")
        name = re.split(r"[;:]", attributes_before(screen, "Ada: "))
        status = re.split(r"[;:]", attributes_before(screen, "in call with Ada"))
        if "1" not in name or "7" not in status:
            raise Failure(f"NO_COLOR: name {name}, status bar {status}: expected bold and "
                          f"reverse")
        print("theme: peer name in colour 166, bars reversed; NO_COLOR: bold and reverse only")


run(test)
