"""Chat typed between the match and the chat's opening is held, in order, and sent when
the chat opens (people say "hi" the moment a stranger appears): the peer gets every line
exactly, and "said" follows "chat-open". At most 8 lines are held: one more is refused
with "chat-not-ready". Lines held when the call ends (a skip) are never sent, and the
sender is told with "chat-not-ready"."""
import json
import time
from harness import Failure, Scene, first_of, run

HELD_MAX = 8


def say_lines(client, texts, then=None):
    """Writes every command in one write, so they are read before the chat can open."""
    cmds = [{"cmd": "say", "text": t} for t in texts] + ([then] if then else [])
    client.proc.stdin.write("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cmds))
    client.proc.stdin.flush()


def test():
    with Scene() as scene:
        server = scene.server()
        clients = [scene.client(server, name) for name in ("alice", "bob", "carol")]
        by_id = {c.expect("signed-in")["id"]: c for c in clients}
        a, m = first_of(clients, "matched")
        b = by_id[m["peer"]["id"]]
        b.expect("matched", timeout=15)
        waiting = next(c for c in clients if c not in (a, b))

        # Held, then the call ends: never sent, and the sender is told.
        say_lines(a, ["this one never leaves"], then={"cmd": "next"})
        err = a.expect("error", timeout=5)
        if err["code"] != "chat-not-ready" or "not sent" not in err["message"]:
            raise Failure(f"held line at the end of the call: {err}")
        b.expect("peer-left", timeout=5)

        # The one who waited is matched with one of them (never an instant rematch).
        m = waiting.expect("matched", timeout=15)
        other = by_id[m["peer"]["id"]]
        other.expect("matched", timeout=5)
        sender = waiting

        texts = [f"early {i} ✓" for i in range(HELD_MAX + 1)]
        say_lines(sender, texts)
        # The one over the bound is refused at once, before the chat opens.
        err = sender.expect("error", timeout=5)
        if err["code"] != "chat-not-ready":
            raise Failure(f"line {HELD_MAX + 1}: {err}")
        if any(e.get("event") == "chat-open" for e in sender.seen):
            raise Failure("the chat opened before the lines were read: the test proves nothing")

        sender.expect("chat-open", timeout=15)
        for text in texts[:HELD_MAX]:
            said = sender.expect("said", timeout=5)
            if said["text"] != text:
                raise Failure(f"sender said {said}, expected {text!r}")
            got = other.expect("chat", timeout=10)
            if got["text"] != text or got["from"] != sender.name:
                raise Failure(f"{other.name} got {got!r}, expected {text!r}")

        # Once open, a line goes straight out.
        sender.send({"cmd": "say", "text": "now live"})
        if other.expect("chat", timeout=5)["text"] != "now live":
            raise Failure("the line after the held ones did not arrive")

        # The line from the ended call reached nobody.
        time.sleep(0.2)
        for c in clients:
            while c.next_event(0.05) is not None:
                pass
            if any(e.get("text") == "this one never leaves" for e in c.seen if e.get("event") == "chat"):
                raise Failure(f"a line held in an ended call reached {c.name}")


run(test)
