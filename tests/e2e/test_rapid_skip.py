"""Rapid skipping with the server's default limits (next: a burst of 5, then 1 a second):
a skip is never half-done (#22).

Four healthy clients; one of them skips 16 times, 0.15 s apart, as people do in random
chat. Skips past the limit still end the call at once (the partner hears `next`); what
the limit slows is the skipper's return to matching, which it is told with `cooldown`.
Checked:
- no `call-failed` and no `peer-left` `lost` anywhere, no `rate-limited` error;
- every call the skipper was in ended with the partner's `peer-left` `next` (or is still
  on at the end), and the partner heard it within 2 s of the skip that ended it (one
  turn of the server: ~50 ms here; the half-ended pair of #22 took 3.7 s or more);
- the limit did kick in: at least one `cooldown`, each followed by `waiting` after about
  its `ms`, and the skipper was matched again afterwards.
It prints each skip's partner latency."""
import time
from harness import Failure, Scene, first_of, run, slowdown

SKIPS = 16
GAP_S = 0.15


def drain(clients, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for c in clients:
            c.next_event(0.02)


def end_of_call(client, call):
    """The peer-left that ended CALL for CLIENT (headless peer-left names no call: the
    first one after the call's matched, before the next matched), as a list of 0 or 1."""
    events = client.seen
    start = next(i for i, e in enumerate(events) if e["event"] == "matched" and e["call"] == call)
    for e in events[start + 1:]:
        if e["event"] == "matched":
            return []
        if e["event"] == "peer-left":
            return [e]
    return []


def test():
    with Scene() as scene:
        server = scene.server()   # default limits: no --no-session-limits
        clients = [scene.client(server, f"person{i}") for i in range(4)]
        for c in clients:
            c.expect("signed-in")
        skipper, first = first_of(clients, "matched")
        others = [c for c in clients if c is not skipper]
        skipper.expect("first-frame", timeout=15)

        sent = []   # monotonic times of the skipper's nexts
        for _ in range(SKIPS):
            skipper.send({"cmd": "next"})
            sent.append(time.monotonic())
            drain(clients, GAP_S)
        drain(clients, 4.0)   # cooldowns end, the last calls settle

        problems = []   # reported after the figures, so that a failing run shows them too
        for c in clients:
            for e in c.seen:
                if e["event"] == "call-failed":
                    problems.append(f"{c.name}: call-failed {e}")
                if e["event"] == "peer-left" and e.get("reason") == "lost":
                    problems.append(f"{c.name}: peer-left lost {e}")
                if e["event"] == "error" and e.get("code") == "rate-limited":
                    problems.append(f"{c.name}: refused {e}")

        # The skipper's calls, and how each ended for its partner.
        calls = [e for e in skipper.seen if e["event"] == "matched"]
        ended_by_skip = 0
        latencies = []
        for m in calls:
            partner = next(c for c in others
                           if any(e["event"] == "matched" and e["call"] == m["call"] for e in c.seen))
            left = end_of_call(partner, m["call"])
            mine = end_of_call(skipper, m["call"])
            if mine:
                raise Failure(f"call {m['call']}: the skipper was left ({mine[0]}), nobody else skips")
            if not left:
                if m is not calls[-1]:
                    raise Failure(f"call {m['call']}: {partner.name} never heard it end")
                continue   # the last call may still be on
            if left[0]["reason"] != "next":
                problems.append(f"call {m['call']}: {partner.name} heard {left[0]}")
            # The skip that ended it: the last one sent before the partner heard. (For a
            # call that ended "lost" this understates how long the partner waited.)
            skip = max((t for t in sent if t <= left[0]["_rx"]), default=None)
            # The harness reads "matched" on a thread of its own: on a busy machine it
            # can read it well after the client knew, and skipped, the call.
            if skip is None or skip < m["_rx"] - 0.5 * slowdown():
                problems.append(f"call {m['call']}: ended with no skip of it")
                continue
            latencies.append((left[0]["_rx"] - skip, left[0]["reason"]))
            ended_by_skip += 1
        print(f"{len(calls)} calls for the skipper, {ended_by_skip} ended; from the skip to the "
              f"partner's peer-left (ms, reason): "
              f"{[(round(x * 1000), r) for x, r in latencies]}")
        if problems:
            raise Failure("; ".join(problems))
        slow = [x for x, _ in latencies if x > 2.0]
        if slow:
            raise Failure(f"{len(slow)} skips reached the partner late: {slow}")
        if ended_by_skip < 6:
            raise Failure(f"only {ended_by_skip} skips ended a call: the test did not skip fast")

        # The limit kicked in, and each cooldown ended in the lobby.
        events = skipper.seen
        cooldowns = [i for i, e in enumerate(events) if e["event"] == "cooldown"]
        if not cooldowns:
            raise Failure(f"no cooldown after {SKIPS} skips in {SKIPS * GAP_S:.1f} s: "
                          f"{skipper.brief()}")
        for i in cooldowns:
            ms = events[i]["ms"]
            if not 0 < ms <= 1000:
                raise Failure(f"cooldown of {ms} ms with a limit of one next a second")
            back = next((e for e in events[i + 1:] if e["event"] in ("waiting", "matched")), None)
            if back is None or back["event"] != "waiting":
                raise Failure(f"cooldown not followed by waiting: {[e['event'] for e in events[i:]]}")
            took = back["_rx"] - events[i]["_rx"]
            if took < ms / 1000 - 0.1:
                raise Failure(f"back in the lobby after {took:.2f} s of a {ms} ms cooldown")
        print(f"{len(cooldowns)} cooldowns: {[events[i]['ms'] for i in cooldowns]} ms")
        if not any(e["event"] == "matched" for e in events[cooldowns[-1]:]):
            raise Failure("the skipper was not matched again after its last cooldown")


if __name__ == "__main__":
    run(test)
