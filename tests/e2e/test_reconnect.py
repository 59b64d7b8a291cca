"""A dropped signalling connection (issue #4), through a relay the test cuts:

1. Cut mid-call and back at once: alice reconnects by herself (reconnecting, then
   reconnected with resumed true), the peer-to-peer call never stops (no peer-left on
   either side, chat still flows both ways), and signalling works again afterwards (bob's
   next reaches her).
2. Cut and kept out past the grace period: bob is told "lost" once, only after the
   grace period; when alice gets back she has a new session and meets bob again.
"""
import time

from harness import Failure, Scene, run

# The server's grace period (the default is 10 s): part 1 comes back well within it,
# part 2 stays out past it.
GRACE_S = 5


def no_event(client, name):
    if any(e["event"] == name for e in client.seen):
        raise Failure(f"{client.name} had {name}: {client.brief()}")


def test():
    with Scene() as scene:
        server = scene.server(extra=["--grace", str(GRACE_S)])
        relay = scene.proxy(server)
        alice = scene.client(relay, "alice")
        bob = scene.client(server, "bob")
        for c in (alice, bob):
            c.expect("chat-open", timeout=20)
        bob.has_seen_or_expect("first-frame", timeout=10)

        # 1. A short outage.
        relay.cut()
        r = alice.expect("reconnecting", timeout=20)
        if r["attempt"] != 1 or not 500 <= r["in_ms"] <= 1500:
            raise Failure(f"first attempt: {r}")
        back = alice.expect("reconnected", timeout=15)
        if back["resumed"] is not True:
            raise Failure(f"session not resumed: {back}")
        alice.send({"cmd": "say", "text": "still here"})
        got = bob.expect("chat", timeout=5)
        if got["text"] != "still here":
            raise Failure(f"bob got {got}")
        bob.send({"cmd": "say", "text": "me too"})
        alice.expect("chat", timeout=5, where=lambda e: e["text"] == "me too")
        for c in (alice, bob):
            no_event(c, "peer-left")
        alice.send({"cmd": "status"})
        st = alice.expect("status")
        if st["state"] != "in-call" or st["reconnecting"]:
            raise Failure(f"alice after the outage: {st}")

        bob.send({"cmd": "next"})
        left = alice.expect("peer-left", timeout=10)
        if left["reason"] != "next":
            raise Failure(f"alice was told {left}")
        for c in (alice, bob):
            c.expect("first-frame", timeout=20)   # only two online: they meet again

        # 2. A long outage: alice's session outlives the cut by the grace period only.
        relay.block()
        relay.cut()
        cut_at = time.monotonic()
        alice.expect("reconnecting", timeout=20)
        left = bob.expect("peer-left", timeout=30)
        took = time.monotonic() - cut_at
        if left["reason"] != "lost":
            raise Failure(f"bob was told {left}")
        if took < GRACE_S - 0.5:
            raise Failure(f"bob was told after {took:.1f} s, before the grace period ended")
        print(f"partner told 'lost' {took:.1f} s after the cut (grace {GRACE_S} s)")
        relay.unblock()
        back = alice.expect("reconnected", timeout=40)
        if back["resumed"] is not False:
            raise Failure(f"a session past its grace was resumed: {back}")
        for c in (alice, bob):
            c.expect("first-frame", timeout=20)
        # Told once each: bob of the lost call (his own next in part 1 told him nothing);
        # alice of bob's next, then of the call that ended while she was away.
        for c, want in ((bob, ["lost"]), (alice, ["next", "lost"])):
            got = [e["reason"] for e in c.seen if e["event"] == "peer-left"]
            if got != want:
                raise Failure(f"{c.name} was told {got}, expected {want}")
        print("reconnect ok: resumed within grace, new session after it")


run(test)
