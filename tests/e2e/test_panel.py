"""The terminal panel for real: the ncurses client in tmux, a headless peer, a real
server. The peer's name shows; a typed line reaches the peer exactly; the peer's line
appears; a message full of escape sequences changes neither the pane title nor the rest
of the screen; resizing to 80x24 keeps a sane layout (and below it says so); Ctrl-N gives
the peer peer-left "next"; Ctrl-Q leaves cleanly and gives the terminal back."""
import time

from harness import Failure, Scene, run
from panel import Panel
from test_panel_common import cell_width


def test():
    with Scene() as scene:
        server = scene.server()
        peer = scene.client(server, "Zoë ✓")
        peer.expect("waiting")
        panel = Panel(server, "Tester", width=120, height=36)
        scene.procs.append(panel)

        # The status bar says the way the call goes: on loopback, straight to the peer.
        panel.wait_for(r"in call with Zoë ✓ · direct")
        peer.has_seen_or_expect("chat-open", timeout=10)
        panel.wait_for(r"You are now talking to Zoë ✓")

        # A typed line reaches the peer exactly (typed before the panel's own end of the
        # chat is open, it is held and sent when it opens).
        text = "Grüße aus dem Terminal — 日本 🦊 \"ok\""
        panel.type(text)
        panel.keys("Enter")
        got = peer.expect("chat", timeout=10)
        if got["text"] != text or got["from"] != "Tester":
            raise Failure(f"the peer got {got!r}")
        panel.wait_for(r"you: Grüße aus dem Terminal")

        # The peer's line appears.
        peer.send({"cmd": "say", "text": "hello from the other side ✓"})
        panel.wait_for(r"Zoë ✓: hello from the other side ✓")

        # Escape sequences from the peer change neither the title nor the screen.
        title_before = panel.title()
        rows_before = panel.rows()
        evil = ("\x1b]0;PWNED\x07\x1b]2;PWNED2\x1b\\\x1b[2J\x1b[H\x1b[31;1mRED\x1b[0m"
                "\x1b[10;10Hmoved\x9b2J\x1bc\x1b[?1049l\x07 tail-marker")
        peer.send({"cmd": "say", "text": evil})
        screen = panel.wait_for(r"tail-marker")
        if panel.title() != title_before or "PWNED" in panel.title():
            raise Failure(f"pane title changed to {panel.title()!r}")
        rows_after = panel.rows()
        if rows_after[0].split("│")[0] != rows_before[0].split("│")[0]:
            raise Failure(f"the status bar changed:\n{rows_before[0]}\n{rows_after[0]}")
        if "hello from the other side" not in screen or "you: Grüße" not in screen:
            raise Failure(f"earlier chat lines vanished:\n{screen}")
        if "\x1b" in panel.screen():
            raise Failure("an escape character reached the screen as text")
        if panel.info("#{alternate_on}") != "1" or panel.info("#{cursor_y}") != str(36 - 1):
            raise Failure("the peer moved the cursor or left the alternate screen")

        # F1: the help overlay lists the keys and commands; any key closes it.
        panel.keys("F1")
        panel.wait_for(r"keys and commands")
        panel.wait_for(r"C-n\s+next")
        panel.keys("Escape")
        deadline = time.monotonic() + 5
        while "keys and commands" in panel.screen() and time.monotonic() < deadline:
            time.sleep(0.1)
        if "keys and commands" in panel.screen():
            raise Failure("the help overlay did not close")

        # Typed commands run through the command table.
        panel.type("/mute")
        panel.keys("Enter")
        panel.wait_for(r"mic off")
        panel.type("/mute off")
        panel.keys("Enter")
        panel.wait_for(r"mic on")
        # The view's own commands are in the one table too.
        for line in ("/redraw", "/scroll up", "/scroll down"):
            panel.type(line)
            panel.keys("Enter")
        panel.type("/scroll sideways")
        panel.keys("Enter")
        panel.wait_for(r"up or down")
        if "Unknown command" in panel.screen():
            raise Failure("/redraw or /scroll is not a command")
        panel.keys(*(["BSpace"] * len("/scroll sideways")))   # a refused line is kept

        # Too long: refused with a message, kept in the line, never sent.
        panel.type("z" * 1001)
        panel.keys("Enter")
        panel.wait_for(r"longer than 1000 characters")
        input_row = [r for r in panel.rows() if r.startswith("›")]
        if not input_row or "zzz" not in input_row[-1]:
            raise Failure(f"the refused line was not kept: {input_row!r}")
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            e = peer.next_event(0.1)
            if e and e["event"] == "chat":
                raise Failure("an over-long message reached the peer")
        for _ in range(11):   # clear the line again
            panel.keys(*(["BSpace"] * 100))

        # Resize to 80x24: everything still in its place, nothing wider than the pane.
        panel.resize(80, 24)
        time.sleep(0.5)
        screen = panel.wait_for(r"showcast")
        rows = panel.rows()
        if not rows[0].startswith(" showcast │") or "Zoë ✓" not in rows[0]:
            raise Failure(f"status bar at 80x24: {rows[0]!r}")
        if "next" not in rows[22] or not rows[23].startswith("›"):
            raise Failure(f"hints and input line at 80x24:\n{screen}")
        for row in rows[:24]:
            if cell_width(row) > 80:
                raise Failure(f"a row is wider than 80 cells: {row!r}")
        if "tail-marker" not in screen:
            raise Failure(f"the chat is gone at 80x24:\n{screen}")

        # Below 80x24 it says what it needs; back above, the panel returns.
        panel.resize(70, 20)
        panel.wait_for(r"at least 80×24")
        panel.resize(100, 30)
        panel.wait_for(r"in call with Zoë ✓")

        # Ctrl-N: the peer is told "next".
        panel.keys("C-n")
        left = peer.expect("peer-left", timeout=10)
        if left["reason"] != "next":
            raise Failure(f"Ctrl-N gave the peer {left}")

        # Ctrl-Q: leave cleanly; the peer hears "left"; the terminal is given back.
        peer.expect("matched", timeout=10)   # the two of them meet again
        panel.wait_for(r"in call with Zoë ✓")
        panel.keys("C-q")
        left = peer.expect("peer-left", timeout=10)
        if left["reason"] != "left":
            raise Failure(f"Ctrl-Q gave the peer {left}")
        status = panel.wait_exit()
        if status != 0:
            raise Failure(f"exit status {status}")
        if panel.info("#{alternate_on}") != "0":
            raise Failure("the terminal was left on the alternate screen")


run(test)
