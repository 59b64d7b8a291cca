"""A peer killed with SIGKILL: the survivor is told peer-left "lost" within 10 s — its
own client notices that nothing comes from the peer any more and tells the server, sooner
than the dead peer's grace period would end — and is matched again with a client who was
waiting, with video."""
import time
from harness import Failure, Scene, run


def test():
    with Scene() as scene:
        server = scene.server()
        alice = scene.client(server, "alice")
        bob = scene.client(server, "bob")
        alice.expect("matched", timeout=15)
        bob.expect("matched", timeout=15)
        alice.expect("first-frame", timeout=15)

        carol = scene.client(server, "carol")
        carol.expect("waiting", timeout=10)

        killed_at = time.monotonic()
        bob.kill()
        left = alice.expect("peer-left", timeout=10)
        if left["reason"] != "lost":
            raise Failure(f"alice was told {left}")
        took = time.monotonic() - killed_at
        # Ended by alice's own call-failed, not by the dead peer's grace period running out.
        if server.metric("showcast_calls_failed_total") != 1:
            raise Failure("the pair was not ended by call-failed")
        m = alice.expect("matched", timeout=10)
        if m["peer"]["name"] != "carol":
            raise Failure(f"alice rematched with {m['peer']}")
        carol.expect("matched", timeout=10)
        alice.expect("first-frame", timeout=15)
        carol.expect("first-frame", timeout=15)
        print(f"peer-left after SIGKILL: {took * 1000:.0f} ms")


run(test)
