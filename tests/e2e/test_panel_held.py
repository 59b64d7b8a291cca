"""A line typed in the panel before the chat is open: the panel says it goes when the
chat opens, and when the call ends first it says the line was not sent; the peer never
gets it. The peer here uses relay candidates only and has no TURN server, so its call
can never connect: the chat stays closed for as long as the test needs."""
import re
import time

from harness import Failure, Scene, run
from panel import Panel


def words(text):
    """A pattern for TEXT wherever the chat view wraps it: between two words anything but
    letters and digits (spaces, the line's end, the video's blocks, the border)."""
    return r"\W+".join(re.escape(w) for w in text.split())


def test():
    with Scene() as scene:
        server = scene.server()
        peer = scene.client(server, "Unreachable", extra=["--relay-only"])
        peer.expect("waiting")
        panel = Panel(server, "Tester", width=120, height=36)
        scene.procs.append(panel)
        panel.wait_for(r"You are now talking to Unreachable")

        panel.type("hello early")
        panel.keys("Enter")
        panel.wait_for(words("Not connected yet: your line goes when the chat opens."))
        if "hello early" in panel.screen().split("Not connected yet")[-1]:
            raise Failure("the held line shows as said before it went")

        panel.keys("C-n")
        panel.wait_for(words("1 line was not sent."))
        time.sleep(0.3)
        while peer.next_event(0.05) is not None:
            pass
        if any(e.get("event") in ("chat", "chat-open", "connected") for e in peer.seen):
            raise Failure(f"the unreachable peer connected or got a line: {peer.brief()}")

        panel.keys("C-q")
        if panel.wait_exit() != 0:
            raise Failure("Ctrl-Q did not exit 0")


run(test)
