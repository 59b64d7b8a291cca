"""Three clients, twelve nexts. Each next ends exactly that call (the partner is told
"next"); the client who was waiting is then paired with one of the two who parted, and
those two never meet again while the third waits; video flows both ways in every new
call, and every call has a new id."""
import random
from harness import Failure, Scene, first_of, run

NEXTS = 12


def test():
    rng = random.Random(2)
    with Scene() as scene:
        server = scene.server()
        clients = [scene.client(server, f"peer{i}") for i in range(3)]
        by_id = {c.expect("signed-in")["id"]: c for c in clients}
        ids = {c: i for i, c in by_id.items()}

        # Two of them are paired at once; find which.
        a, first = first_of(clients, "matched")
        b = by_id[first["peer"]["id"]]
        b.expect("matched", timeout=15)
        waiting = next(c for c in clients if c not in (a, b))
        for c in (a, b):
            c.expect("first-frame", timeout=15)
        calls = {first["call"]}

        for n in range(NEXTS):
            skipper, partner = (a, b) if rng.random() < 0.5 else (b, a)
            skipper.send({"cmd": "next"})
            left = partner.expect("peer-left", timeout=10)
            if left["reason"] != "next":
                raise Failure(f"next {n}: partner told {left}")

            m = waiting.expect("matched", timeout=15)
            new_peer = by_id[m["peer"]["id"]]
            if new_peer not in (skipper, partner):
                raise Failure(f"next {n}: {waiting.name} matched {new_peer.name}")
            m2 = new_peer.expect("matched", timeout=15)
            if m2["call"] != m["call"] or m2["peer"]["id"] != ids[waiting]:
                raise Failure(f"next {n}: the two sides disagree: {m} {m2}")
            if m["call"] in calls:
                raise Failure(f"next {n}: call id {m['call']} reused")
            calls.add(m["call"])
            for c in (waiting, new_peer):
                ff = c.expect("first-frame", timeout=15)
                if ff["width"] <= 0 or ff["height"] <= 0:
                    raise Failure(f"bad first-frame {ff}")

            left_out = partner if new_peer is skipper else skipper
            a, b, waiting = waiting, new_peer, left_out

        # The one left out was never matched meanwhile: its next event is not "matched".
        waiting.send({"cmd": "status"})
        st = waiting.expect("status")
        if st["state"] != "waiting":
            raise Failure(f"the third client is not waiting: {st}")
        if len(calls) != NEXTS + 1:
            raise Failure(f"{len(calls)} calls for {NEXTS} nexts")


run(test)
