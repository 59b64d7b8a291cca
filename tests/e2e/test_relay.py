"""TURN relay through a real coturn (issue #5): showcast-server hands each matched pair
time-limited credentials (--turn-url, --turn-secret: the TURN REST API scheme of coturn's
use-auth-secret); two clients with --relay-only offer nothing but relay candidates, so
their call can only work through coturn. Both get first-frame and chat both ways, and
coturn's log shows both allocations made with the server's credentials. A client given
a wrong secret's credentials cannot allocate at all."""
import os
import re
import time

from coturn import Coturn
from harness import Failure, Scene, run

SECRET = "relay-test-" + os.urandom(6).hex()


def test():
    with Scene() as scene:
        turn = Coturn(SECRET)
        scene.procs.append(turn)
        server = scene.server(extra=["--turn-url", "turn:127.0.0.1:3478?transport=udp",
                                     "--turn-secret", SECRET])
        alice = scene.client(server, "alice", extra=["--relay-only"])
        bob = scene.client(server, "bob", extra=["--relay-only"])
        for c in (alice, bob):
            c.expect("matched", timeout=15)
            c.expect("first-frame", timeout=30)
        for c in (alice, bob):
            c.has_seen_or_expect("chat-open", timeout=10)
        alice.send({"cmd": "say", "text": "through the relay"})
        bob.expect("chat", timeout=5, where=lambda e: e["text"] == "through the relay")
        bob.send({"cmd": "say", "text": "and back"})
        alice.expect("chat", timeout=5, where=lambda e: e["text"] == "and back")

        log = turn.text()
        users = set(re.findall(r"username=<(\d+:[0-9a-f]+)>", log))
        for c in (alice, bob):
            if not any(u.endswith(":" + c.has_seen_or_expect("signed-in")["id"]) for u in users):
                raise Failure(f"coturn never saw {c.name}'s credentials; users {users}\n{log[-3000:]}")
        if not re.search(r"ALLOCATE processed, success", log):
            raise Failure(f"no successful allocation in coturn's log:\n{log[-3000:]}")
        print(f"relayed call: coturn saw {len(users)} users, "
              f"{len(re.findall('ALLOCATE processed, success', log))} allocations")

        # Without --relay-only the clients keep a call whose offer is made before the
        # match; with TURN in the matched message that offer (gathered without TURN)
        # must not be used: both sides, the offerer too, allocate with their credentials.
        for c in (alice, bob):
            c.stop()
        eve = scene.client(server, "eve")
        frank = scene.client(server, "frank")
        for c in (eve, frank):
            c.expect("matched", timeout=15)
            c.expect("first-frame", timeout=30)
        # coturn logs each allocation's user; wait until both are there (or time is up).
        ids = {c: c.has_seen_or_expect("signed-in")["id"] for c in (eve, frank)}
        deadline = time.monotonic() + 10
        while True:
            users = set(re.findall(r"username=<(\d+:[0-9a-f]+)>", turn.text()))
            missing = [c for c in (eve, frank)
                       if not any(u.endswith(":" + ids[c]) for u in users)]
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        for c in missing:
            raise Failure(f"{c.name} ({c.has_seen_or_expect('matched')['role']}) made no "
                          f"TURN allocation: an offer made before the match was used")
        print("TURN in the match: both sides gathered relay candidates after it")

        # A TURN server the credentials do not fit: relay-only calls cannot connect.
        for c in (eve, frank):
            c.stop()
        bad = scene.server(port=18081, extra=["--turn-url", "turn:127.0.0.1:3478?transport=udp",
                                              "--turn-secret", "not-the-secret"])
        carol = scene.client(bad, "carol", extra=["--relay-only"])
        dave = scene.client(bad, "dave", extra=["--relay-only"])
        carol.expect("matched", timeout=15)
        err = carol.expect("error", timeout=30, where=lambda e: e["code"] == "call-failed")
        print(f"wrong secret: {err['message']}")
        if any(e["event"] == "first-frame" for e in carol.seen + dave.seen):
            raise Failure("a relay-only call connected with refused credentials")


run(test)
