"""Three clients, sixteen nexts; afterwards no client holds more file descriptors or
threads than after its first calls (each call is torn down completely), and each quits
with status 0 — under AddressSanitizer with leak checks on, so a call that leaves
memory behind fails here. Each next ends exactly that call (the partner is told
"next"); the client who was waiting is then paired with one of the two who parted, and
those two never meet again while the third waits; video flows both ways in every new
call, and every call has a new id."""
import os
import random
import time
from harness import Failure, Scene, first_of, leak_check_env, run

NEXTS = 16


def test():
    rng = random.Random(2)
    with Scene() as scene:
        server = scene.server()
        clients = [scene.client(server, f"peer{i}", env=leak_check_env()) for i in range(3)]
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

        def resources(c):
            """(fds, threads), the least of a few samples: GLib's worker pools start
            and retire threads of their own at any moment."""
            reads = []
            for _ in range(3):
                reads.append((len(os.listdir(f"/proc/{c.proc.pid}/fd")),
                              len(os.listdir(f"/proc/{c.proc.pid}/task"))))
                time.sleep(0.05)
            return min(reads)
        samples = []   # (fds, threads) of the two clients in each new call

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

            # Resources of each client in the same state (in a call, video flowing),
            # once every client has been through a couple of calls.
            for c in (a, b):
                samples.append(resources(c))

        # The one left out was never matched meanwhile: its next event is not "matched".
        waiting.send({"cmd": "status"})
        st = waiting.expect("status")
        if st["state"] != "waiting":
            raise Failure(f"the third client is not waiting: {st}")
        # GLib's pools start and retire a thread now and then, so single samples vary
        # by one; a leak grows with every call. The least seen in the last calls must
        # not exceed the most seen in the first ones.
        early, late = samples[:8], samples[-8:]
        for i, what in enumerate(("file descriptors", "threads")):
            if min(x[i] for x in late) > max(x[i] for x in early):
                raise Failure(f"{what} grew over {NEXTS} calls: early {early}, late {late}")
        print("fds, threads: early", early[:2], "late", late[-2:])
        if len(calls) != NEXTS + 1:
            raise Failure(f"{len(calls)} calls for {NEXTS} nexts")

        # Quit in a call and in the lobby: every call's pipeline, socket and thread goes
        # before the process ends (LeakSanitizer, where it runs, looks then).
        for c in clients:
            c.send({"cmd": "quit"})
            c.expect("bye", timeout=30)
            status = c.proc.wait(timeout=60)
            if status != 0:
                raise Failure(f"{c.name} exited with {status} after quit\n{c.log_tail(40)}")


run(test)
