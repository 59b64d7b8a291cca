"""Report and block: a reported peer is never paired again with the reporter, over 50
nexts among 3 clients. The reported one sees only a skip ("next").

The server runs with --no-session-limits so that the 50 skips come as fast as matches
do: what the next limit does to users is test_rapid_skip.py's (and the lobby's unit
tests')."""
import random
import time

from harness import Failure, Scene, first_of, run

NEXTS = 50


def test():
    rng = random.Random(5)
    with Scene() as scene:
        server = scene.server(extra=["--no-session-limits"])
        clients = [scene.client(server, f"c{i}") for i in range(3)]
        by_id = {c.expect("signed-in")["id"]: c for c in clients}
        reporter, m = first_of(clients, "matched")
        reported = by_id[m["peer"]["id"]]
        reported.expect("matched", timeout=10)
        third = next(c for c in clients if c not in (reporter, reported))
        forbidden = {by_id_key for by_id_key, c in by_id.items() if c in (reporter, reported)}

        reported_at = time.monotonic()
        reporter.send({"cmd": "report", "reason": "rude ✗"})
        reporter.expect("reported", timeout=5)
        left = reported.expect("peer-left", timeout=10)
        if left["reason"] != "next":
            raise Failure(f"the reported peer was told {left} (should look like a skip)")

        def check_match(client, event):
            if event["_rx"] < reported_at:
                return   # the call that was reported
            if client in (reporter, reported) and {ids[client], event["peer"]["id"]} == forbidden:
                raise Failure(f"reporter and reported were paired again: {event}")

        ids = {c: i for i, c in by_id.items()}
        # From now on there is one pair: the third client with one of the other two.
        partner_event = third.expect("matched", timeout=10)
        check_match(third, partner_event)
        current = by_id[partner_event["peer"]["id"]]
        for n in range(NEXTS):
            current.has_seen_or_expect("matched", timeout=10)
            skipper = current if rng.random() < 0.8 else third
            skipper.send({"cmd": "next"})
            m = third.expect("matched", timeout=10)
            check_match(third, m)
            current = by_id[m["peer"]["id"]]
            if current is third:
                raise Failure("paired with themself")
            # The same call, seen from the other side (never an older match of its).
            e = current.expect("matched", timeout=10, where=lambda ev: ev["call"] == m["call"])
            check_match(current, e)
            # The one left waiting never got a match with the forbidden partner either.
            for c in (reporter, reported):
                for ev in c.seen:
                    if ev.get("event") == "matched":
                        check_match(c, ev)
        print(f"{NEXTS} nexts, reporter and reported never met again")


run(test)
