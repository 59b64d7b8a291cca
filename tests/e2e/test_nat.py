"""Calls beyond loopback (#23), in a lab of network namespaces (netlab.py): the lobby and
coturn (STUN and TURN, use-auth-secret) on a "public" bridge, and two clients each behind
a NAT of its own, gathering candidates as they would at home (no --ice-address).

What works today, each with first frames both ways and chat both ways within 5 s of
matched (10 s under the sanitizers):
- full cone / full cone: a direct call (host and server-reflexive candidates);
- symmetric / symmetric with --relay-only: through coturn.
(Without --relay-only, cone/cone, cone/symmetric, symmetric/symmetric and UDP-blocked
NATs do not connect yet: #23 is open for them.)"""
import os
import time

from coturn import Coturn
from harness import Failure, Scene, run, slowdown
from netlab import PUB_ADDRESS, Lab

SECRET = "nat-test-" + os.urandom(6).hex()


def call(kinds, extra=()):
    """A call between c1 and c2 behind NATs of KINDS; returns ms from matched to the
    last of the two first frames."""
    slow = slowdown()
    lab = Lab(*kinds)
    try:
        with Scene() as scene:
            turn = Coturn(SECRET, address=PUB_ADDRESS)
            scene.procs.append(turn)
            server = scene.server(address=PUB_ADDRESS, extra=[
                "--stun", f"stun:{PUB_ADDRESS}:3478",
                "--turn-url", f"turn:{PUB_ADDRESS}:3478?transport=udp", "--turn-secret", SECRET])
            alice = scene.client(server, "alice", prefix=lab.prefix_for("c1"), ice_address=None,
                                 extra=extra)
            bob = scene.client(server, "bob", prefix=lab.prefix_for("c2"), ice_address=None,
                               extra=extra)
            alice.expect("matched", timeout=15 * slow)
            bob.expect("matched", timeout=15 * slow)
            matched = time.monotonic()
            for c in (alice, bob):
                c.expect("first-frame", timeout=max(0.1, matched + 5 * slow - time.monotonic()))
            took = (time.monotonic() - matched) * 1000
            for c in (alice, bob):
                c.has_seen_or_expect("chat-open", timeout=5 * slow)
            alice.send({"cmd": "say", "text": f"across {kinds[0]} → {kinds[1]}"})
            bob.expect("chat", timeout=5 * slow,
                       where=lambda e: e["text"] == f"across {kinds[0]} → {kinds[1]}")
            bob.send({"cmd": "say", "text": "and back"})
            alice.expect("chat", timeout=5 * slow, where=lambda e: e["text"] == "and back")
            for c in (alice, bob):
                if any(e["event"] in ("call-failed", "peer-left") for e in c.seen):
                    raise Failure(f"{kinds}: {c.name}'s call failed on the way: {c.brief()}")
            return took
    finally:
        lab.stop()


def test():
    took = call(("full", "full"))
    print(f"full cone / full cone, direct: first frames {took:.0f} ms after matched")
    took = call(("symmetric", "symmetric"), extra=["--relay-only"])
    print(f"symmetric / symmetric, --relay-only: first frames {took:.0f} ms after matched")


if __name__ == "__main__":
    run(test)
