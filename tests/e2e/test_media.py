"""Media that outlives calls (issue #6): capture and encoders start with the client, so
a source that cannot work is said at once (error "media", exit 1), before any match;
stamped pictures (--stamp-frames) arrive in the peer's decoder with their capture time,
in a first call and in the next one, and their age is plausible."""
import time

from harness import Failure, Scene, run

VGA = "videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=480,framerate=30/1"


def stamped_frames(client, seconds):
    delays = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        e = client.next_event(0.2)
        if e and e.get("event") == "frame-delay":
            delays.append(e["ms"])
        if e and e.get("event") == "peer-left":
            raise Failure(f"{client.name}: the call ended while counting frames")
    return delays


def check(client, what):
    delays = stamped_frames(client, 2.0)
    # 30 frames a second: most of two seconds' worth, each read back exactly (a misread
    # stamp fails its check nibble and is not reported).
    if len(delays) < 30:
        raise Failure(f"{what}: only {len(delays)} stamped frames in 2 s")
    # The first is the keyframe that waited for the connection; no other is stale (a
    # backlog of frames from before the connection would be).
    if not all(0 <= d < 500 for d in delays[1:]) or delays[0] < 0:
        raise Failure(f"{what}: implausible delays {delays[:3]} … {sorted(delays)[-5:]}")
    print(f"{what}: {len(delays)} stamped frames, median {sorted(delays)[len(delays) // 2]:.1f} ms")


def test():
    with Scene() as scene:
        server = scene.server()

        broken = scene.client(server, "broken", video="no-such-element-anywhere")
        err = broken.expect("error", timeout=10)
        if err["code"] != "media" or "no-such-element-anywhere" not in err["message"]:
            raise Failure(f"a broken video source gave {err}")
        if any(e.get("event") in ("signed-in", "matched") for e in broken.seen):
            raise Failure("a client without media went on to the lobby")
        if broken.wait_exit(10) != 1:
            raise Failure("a client without media did not exit 1")

        alice = scene.client(server, "alice", video=VGA, extra=["--stamp-frames"])
        bob = scene.client(server, "bob", video=VGA, extra=["--stamp-frames"])
        bob.expect("first-frame", timeout=20)
        check(bob, "bob, first call")

        # A third user waits; alice leaves, and bob is matched with carol. (Had bob
        # skipped, the lobby could as well have given carol to alice.) Bob's pictures
        # in the new call come from the same encoder, still running, and carol reads
        # their stamps.
        carol = scene.client(server, "carol", video=VGA, extra=["--stamp-frames"])
        carol.expect("waiting", timeout=10)
        alice.stop()
        m = bob.expect("matched", timeout=10)
        if m["peer"]["name"] != "carol":
            raise Failure(f"bob was matched with {m['peer']} rather than the waiting carol")
        carol.expect("first-frame", timeout=20)
        check(carol, "carol, bob's second call")
        bob.expect("first-frame", timeout=20)
        check(bob, "bob, second call")

run(test)
