"""The Redis pairing script, run in a real redis-server exactly as showcast-server sends
it, on lobbies too awkward to build with clients: many users waiting whom the caller may
not meet. The caller must still find the one it may meet (the script draws 16 at random
and looks further only when none of those will do), never a blocked user or itself,
remove users of dead nodes it comes across, and meet the partner it just left only when
nobody else waits. With interests and language (#27): a caller meets one who shares the
most interests, else one who shares the language, among many who share nothing; a caller
with interests nobody shares waits (indexed by them, not open) until its node picks again
after the interest wait, open to anyone open."""
import random

from harness import Failure, run
from redis_server import RedisServer, Resp, pick_script

WAITING = 60      # far more than the script's draw of 16


def test():
    r = RedisServer()
    try:
        c = Resp(r.port)
        sha = c.call("SCRIPT", "LOAD", pick_script())

        def reset(waiting, node="n1"):
            """WAITING: users with nothing to share (open), as the server files them."""
            c.call("FLUSHALL")
            c.call("SET", "sc:node:n1", "1")
            for u in waiting + ["me"]:
                c.call("HSET", f"sc:u:{u}", "node", node, "name", u)
            if waiting:
                c.call("SADD", "sc:waiting", *waiting)
                c.call("SADD", "sc:open", *waiting)

        def add_keen(user, tags=(), lang=""):
            """A waiting user with interests or a language, within its interest wait."""
            c.call("HSET", f"sc:u:{user}", "node", "n1", "name", user, "tags", "\n".join(tags),
                   "lang", lang)
            c.call("SADD", "sc:waiting", user)
            for t in tags:
                c.call("SADD", f"sc:i:{t}", user)
            if lang:
                c.call("SADD", f"sc:l:{lang}", user)

        def pick(user="me", open_="1", lang="", tags=()):
            """OPEN_: the caller's state: "0" within its interest wait, "1" free (nothing
            to share), "2" waited out."""
            got = c.call("EVALSHA", sha, 0, user, "n1", open_, lang, *tags)
            if isinstance(got, str):
                raise Failure(f"script error: {got}")
            return got

        rng = random.Random(5)
        others = [f"w{i}" for i in range(WAITING)]

        # 1. Blocked by all but one of 60 waiting: the one is found every time, though a
        #    draw of 16 misses it nearly three times in four.
        for trial in range(30):
            reset(others)
            free = rng.choice(others)
            c.call("SADD", "sc:blocked:me", *[u for u in others if u != free])
            got = pick()
            if got is None or got[0] != free:
                raise Failure(f"trial {trial}: paired with {got}, not {free}, the only "
                              "user 'me' may meet")
            if c.call("SISMEMBER", "sc:waiting", free) != "0":
                raise Failure(f"trial {trial}: {free} still waits after being paired")
            if c.call("SISMEMBER", "sc:waiting", "me") != "0":
                raise Failure(f"trial {trial}: the caller waits though it was paired")

        # 2. Blocked by every one of them: nobody is taken, the caller waits, all stay.
        reset(others)
        c.call("SADD", "sc:blocked:me", *others)
        got = pick()
        if got is not None:
            raise Failure(f"paired with {got} though every waiting user is blocked")
        if int(c.call("SCARD", "sc:waiting")) != WAITING + 1:
            raise Failure("the waiting set changed though nobody could be paired")

        # 3. The only user 'me' may meet has a dead node; 59 blocked ones are alive. The
        #    dead one is removed, nobody is paired, the caller waits.
        reset(others)
        dead = rng.choice(others)
        c.call("HSET", f"sc:u:{dead}", "node", "gone")
        c.call("SADD", "sc:blocked:me", *[u for u in others if u != dead])
        got = pick()
        if got is not None:
            raise Failure(f"paired with {got}: a user of a dead node, or a blocked one")
        if c.call("SISMEMBER", "sc:waiting", dead) != "0":
            raise Failure("a user of a dead node was left waiting")

        # 4. The partner just left, among 59 blocked: not met while the others wait.
        reset(others)
        last = rng.choice(others)
        c.call("HSET", "sc:u:me", "last", last)
        c.call("SADD", "sc:blocked:me", *[u for u in others if u != last])
        got = pick()
        if got is not None:
            raise Failure(f"rematched with {got} though {WAITING - 1} others wait")
        # ... and met when it is the only one waiting.
        reset([last])
        c.call("HSET", "sc:u:me", "last", last)
        got = pick()
        if got is None or got[0] != last:
            raise Failure(f"alone with the partner just left, got {got}")

        # 5. Many waiting, none blocked: the choice is random (the draw), not the set's
        #    order: 40 picks from the same 60 meet many different users.
        met = set()
        for _ in range(40):
            reset(others)
            got = pick()
            if got is None or got[0] not in others:
                raise Failure(f"bad pick {got}")
            met.add(got[0])
        if len(met) < 15:
            raise Failure(f"40 picks among {WAITING} met only {len(met)} users")

        # 6. The same with three waiting (the usual lobby is small): SRANDMEMBER returns
        #    all three in the set's hash order, which alone would always pick one of them.
        few = ["a", "b", "c"]
        counts = {u: 0 for u in few}
        for _ in range(60):
            reset(few)
            got = pick()
            if got is None or got[0] not in few:
                raise Failure(f"bad pick {got}")
            counts[got[0]] += 1
        if min(counts.values()) < 4:
            raise Failure(f"60 picks among three waiting: {counts}")

        # 7. Blocked by all but five of 60: the five are each found (a random one of
        #    those the further look finds, not the first in the set's order).
        five = rng.sample(others, 5)
        found = set()
        for _ in range(40):
            reset(others)
            c.call("SADD", "sc:blocked:me", *[u for u in others if u not in five])
            got = pick()
            if got is None or got[0] not in five:
                raise Failure(f"paired with {got}, not one of {five}")
            found.add(got[0])
        if len(found) < 4:
            raise Failure(f"40 picks found only {sorted(found)} of the five {five}")
        # 8. Interests: among 60 who share nothing, the one sharing the most is met.
        for _ in range(10):
            reset(others)
            add_keen("one", ["chess"])
            add_keen("two", ["chess", "cats"])
            got = pick(open_="0", tags=["chess", "cats", "go"])
            if got is None or got[0] != "two" or got[3] != "chess\ncats":
                raise Failure(f"the caller sharing chess and cats met {got}")
            if c.call("SISMEMBER", "sc:i:chess", "two") != "0":
                raise Failure("a user met by interest is still in its interest's index")
        # 9. The language, when nobody shares an interest.
        reset(others)
        add_keen("hans", [], "de")
        got = pick(open_="0", lang="de", tags=["opera"])
        if got is None or got[0] != "hans":
            raise Failure(f"the German speaker met {got}")
        # 10. Nobody shares: the caller waits, filed under its interest, not open; a
        #     second pick after its interest wait (open) meets anyone open.
        reset(others)
        if pick(open_="0", tags=["opera"]) is not None:
            raise Failure("a caller within its interest wait met someone who shares nothing")
        if c.call("SISMEMBER", "sc:i:opera", "me") != "1" or \
                c.call("SISMEMBER", "sc:open", "me") != "0":
            raise Failure("the waiting caller is not filed under its interest only")
        got = pick(open_="2", tags=["opera"])
        if got is None or got[0] not in others or c.call("SISMEMBER", "sc:i:opera", "me") != "0":
            raise Failure(f"after the interest wait the caller met {got}")
        # A free caller does not take a keen user within its wait...
        reset([])
        add_keen("keen", ["opera"])
        if pick() is not None:
            raise Failure("a free caller took a user still within its interest wait")
        # ... but one who waited out takes anyone: here, among 60 keen users who share
        # nothing with it or each other.
        reset([])
        for u in others:
            add_keen(u, [f"own-{u}"])
        got = pick(open_="2")
        if got is None or got[0] not in others:
            raise Failure(f"a caller who waited out met {got} among {WAITING} keen users")
        # And a keen newcomer takes one who waited out (sc:expired).
        reset([])
        add_keen("patient", ["knitting"])
        c.call("SADD", "sc:open", "patient")
        c.call("SADD", "sc:expired", "patient")
        got = pick(open_="0", tags=["opera"])
        if got is None or got[0] != "patient" or got[5] != "2":
            raise Failure(f"a keen newcomer met {got}, not the user who waited out")

        print(f"blocked by {WAITING - 1} of {WAITING}: found the one 30 times of 30; "
              f"40 free picks met {len(met)} users; three waiting: {counts}; "
              f"five free among {WAITING}: {len(found)} of them met")
    finally:
        r.stop()


run(test)
