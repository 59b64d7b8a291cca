"""Calls beyond loopback (#23), in a lab of network namespaces (netlab.py): the lobby and
coturn (STUN, and TURN over UDP and TCP with use-auth-secret) on a "public" bridge, and
two clients each behind a home router of its own, gathering candidates as they would at
home (no --ice-address).

Each call must show first frames both ways and chat both ways within 5 s of matched
(scaled under the sanitizers), with nothing failing on the way, and its `connected`
event and `status` must say which way it went:
- full cone / full cone: direct (no relay on either side);
- port-restricted cone / port-restricted cone: direct or through the relay (two Linux
  masquerade NATs often cannot punch a hole: ../shared/notes/network-lab.md);
- cone / symmetric and symmetric / symmetric: through the relay where needed;
- UDP blocked / UDP blocked: through the relay, reached over TCP ("protocol": "tcp").

And where no call can connect (symmetric / symmetric on a lobby with STUN and no TURN;
two nodes sharing Redis, a user on each): both users are told what is missing (error
no-relay), the operator sees it in /metrics (showcast_calls_failed_no_relay_total), and
the two are not matched with each other again (before #23 they were, every 7.5 s, for
ever).

Usage: test_nat.py [KIND/KIND … | no-relay] (default: all)."""
import os
import sys
import time

from coturn import Coturn
from harness import Failure, Scene, log, run, slowdown
from netlab import PUB_ADDRESS, Lab
from redis_server import RedisServer

SECRET = "nat-test-" + os.urandom(6).hex()

# (NATs, what the path may be: "direct", "relay" or either, and the relay's protocol)
CASES = {
    "full/full": ("direct", "udp"),
    "cone/cone": (None, "udp"),
    "cone/symmetric": (None, "udp"),
    "symmetric/symmetric": ("relay", "udp"),
    "no-udp/no-udp": ("relay", "tcp"),
}


def lobby_args():
    return ["--stun", f"stun:{PUB_ADDRESS}:3478",
            "--turn-url", f"turn:{PUB_ADDRESS}:3478?transport=udp",
            "--turn-url", f"turn:{PUB_ADDRESS}:3478?transport=tcp",
            "--turn-secret", SECRET]


def way(path):
    return "relay" if "relay" in (path["local"], path["remote"]) else "direct"


def call(case):
    """A call between c1 and c2 behind the NATs CASE names; returns ms from matched to
    the last of the two first frames, and the paths."""
    slow = slowdown()
    want_way, want_protocol = CASES[case]
    lab = Lab(*case.split("/"))
    try:
        with Scene() as scene:
            turn = Coturn(SECRET, address=PUB_ADDRESS)
            scene.procs.append(turn)
            server = scene.server(address=PUB_ADDRESS, extra=lobby_args())
            alice = scene.client(server, "alice", prefix=lab.prefix_for("c1"), ice_address=None)
            bob = scene.client(server, "bob", prefix=lab.prefix_for("c2"), ice_address=None)
            alice.expect("matched", timeout=15 * slow)
            bob.expect("matched", timeout=15 * slow)
            matched = time.monotonic()
            for c in (alice, bob):
                c.expect("first-frame", timeout=max(0.1, matched + 5 * slow - time.monotonic()))
            took = (time.monotonic() - matched) * 1000
            for c in (alice, bob):
                c.has_seen_or_expect("chat-open", timeout=5 * slow)
            alice.send({"cmd": "say", "text": f"across {case}"})
            bob.expect("chat", timeout=5 * slow, where=lambda e: e["text"] == f"across {case}")
            bob.send({"cmd": "say", "text": "and back"})
            alice.expect("chat", timeout=5 * slow, where=lambda e: e["text"] == "and back")

            paths = []
            for c in (alice, bob):
                if any(e["event"] in ("call-failed", "peer-left", "error") for e in c.seen):
                    raise Failure(f"{case}: {c.name}'s call failed on the way: {c.brief()}")
                path = c.has_seen_or_expect("connected").get("path")
                if path is None or set(path) != {"local", "remote", "protocol"}:
                    raise Failure(f"{case}: {c.name}'s connected event has path {path}")
                c.send({"cmd": "status"})
                status = c.expect("status", timeout=5 * slow)
                if status.get("path") is None or way(status["path"]) != way(path):
                    raise Failure(f"{case}: {c.name}'s status says {status.get('path')}, "
                                  f"connected said {path}")
                paths.append(path)
            # The two ends agree on the way (each sees its own side of the pair).
            if way(paths[0]) != way(paths[1]):
                raise Failure(f"{case}: the two ends disagree: {paths}")
            if want_way and way(paths[0]) != want_way:
                raise Failure(f"{case}: went {way(paths[0])}, not {want_way}: {paths}")
            for p in paths:
                if p["local"] == "relay" and p["protocol"] != want_protocol:
                    raise Failure(f"{case}: reached the relay over {p['protocol']}: {paths}")
            if want_way == "direct" and any(p["protocol"] != "udp" for p in paths):
                raise Failure(f"{case}: a direct call not over UDP: {paths}")
            return took, paths
    finally:
        lab.stop()


def no_relay():
    """Returns the ms from matched to the no-relay errors."""
    slow = slowdown()
    lab = Lab("symmetric", "symmetric")
    try:
        with Scene() as scene:
            turn = Coturn(SECRET, address=PUB_ADDRESS)   # STUN only: the lobby hands no TURN
            scene.procs.append(turn)
            # Two nodes sharing Redis, one user on each: the partner is told through the
            # node bus, and the Redis matcher keeps the two apart.
            redis = RedisServer()
            scene.procs.append(redis)
            nodes = [scene.server(address=PUB_ADDRESS, port=18080 + i,
                                  extra=["--stun", f"stun:{PUB_ADDRESS}:3478", "--redis", redis.url,
                                         "--node-name", f"node-{i + 1}", "--check-invariants"])
                     for i in range(2)]
            alice = scene.client(nodes[0], "alice", prefix=lab.prefix_for("c1"), ice_address=None)
            bob = scene.client(nodes[1], "bob", prefix=lab.prefix_for("c2"), ice_address=None)
            for c in (alice, bob):
                c.expect("matched", timeout=15 * slow)
            matched = time.monotonic()
            for c in (alice, bob):
                c.expect("error", timeout=30 * slow, where=lambda e: e["code"] == "no-relay")
            took = (time.monotonic() - matched) * 1000
            told = {c.name: len(c.seen) for c in (alice, bob)}
            # Alone together in the lobby: they wait, and are not matched again (the
            # rematch used to come within milliseconds).
            for c in (alice, bob):
                c.expect("waiting", timeout=10 * slow)
            time.sleep(3 * slow)
            for c in (alice, bob):
                while c.next_event(0.1) is not None:
                    pass
                if any(e["event"] == "matched" for e in c.seen[told[c.name]:]):
                    raise Failure(f"{c.name} was matched again after the call failed: {c.brief()}")
                if any(e["event"] == "first-frame" for e in c.seen):
                    raise Failure(f"{c.name}: a call connected with no route: {c.brief()}")
            # Counted by the node that heard a call-failed while its half was still in
            # the call: one of them, or both when the two users gave up at once (each
            # node's half ended by its own user before the other node's word came).
            failed = [n.metric("showcast_calls_failed_no_relay_total") for n in nodes]
            if sorted(failed) not in ([0, 1], [1, 1]):
                raise Failure(f"showcast_calls_failed_no_relay_total on the two nodes: {failed}")
            if any(n.metric("showcast_invariant_violations_total") for n in nodes):
                raise Failure("a lobby invariant was broken")
            return took
    finally:
        lab.stop()


def brief(path):
    return f"{path['local']}→{path['remote']}/{path['protocol']}"


def test():
    cases = sys.argv[1:] or [*CASES, "no-relay"]
    for case in cases:
        if case == "no-relay":
            took = no_relay()
            log(f"symmetric / symmetric, no relay: both told no-relay {took:.0f} ms after "
                "matched, not matched again")
            continue
        took, paths = call(case)
        log(f"{case}: first frames {took:.0f} ms after matched, "
            f"path {brief(paths[0])} (alice), {brief(paths[1])} (bob)")


if __name__ == "__main__":
    run(test)
