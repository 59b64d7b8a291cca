"""Two showcast-server nodes sharing one Redis (issue #5), with real clients:

- alice on node 1 and bob on node 2 are matched (the pairing is a Lua script inside
  Redis), connect peer to peer and get first-frame both ways; chat flows;
- next across nodes: bob skips, alice is told "next", they meet again with video;
- node 2 is killed: alice (node 1) is told "lost" within the heartbeat expiry plus a few
  seconds, and is matched with carol, who waits on node 1;
- /healthz says "ok redis", and node 1 checks its invariants throughout."""
import time
import urllib.request

from harness import Failure, Scene, run
from redis_server import RedisServer


def test():
    with Scene() as scene:
        redis = RedisServer()
        scene.procs.append(redis)
        common = ["--redis", redis.url, "--check-invariants"]
        n1 = scene.server(port=18080, extra=[*common, "--node-name", "node-1"])
        n2 = scene.server(port=18081, extra=[*common, "--node-name", "node-2"])
        with urllib.request.urlopen(n1.http + "/healthz", timeout=5) as r:
            if r.read() != b"ok redis\n":
                raise Failure("healthz does not report Redis")

        alice = scene.client(n1, "alice")
        alice.expect("waiting", timeout=10)
        bob = scene.client(n2, "bob")
        for c, peer in ((alice, "bob"), (bob, "alice")):
            m = c.expect("matched", timeout=15)
            if m["peer"]["name"] != peer:
                raise Failure(f"{c.name} met {m['peer']}")
            c.expect("first-frame", timeout=20)
        for c in (alice, bob):
            c.has_seen_or_expect("chat-open", timeout=10)
        alice.send({"cmd": "say", "text": "hello from node 1"})
        bob.expect("chat", timeout=5, where=lambda e: e["text"] == "hello from node 1")

        bob.send({"cmd": "next"})
        left = alice.expect("peer-left", timeout=10)
        if left["reason"] != "next":
            raise Failure(f"alice was told {left}")
        for c in (alice, bob):
            c.expect("matched", timeout=15)
            c.expect("first-frame", timeout=20)

        carol = scene.client(n1, "carol")
        carol.expect("waiting", timeout=10)
        killed = time.monotonic()
        n2.kill()
        left = alice.expect("peer-left", timeout=20)
        took = time.monotonic() - killed
        if left["reason"] != "lost":
            raise Failure(f"alice was told {left}")
        m = alice.expect("matched", timeout=10)
        if m["peer"]["name"] != "carol":
            raise Failure(f"alice then met {m['peer']}")
        carol.expect("first-frame", timeout=20)
        alice.expect("first-frame", timeout=20)
        print(f"node 2 killed: its user's partner told 'lost' after {took:.1f} s")
        if n1.metric("showcast_invariant_violations_total") != 0:
            raise Failure("node 1 broke an invariant")


run(test)
