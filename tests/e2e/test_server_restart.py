"""The server restarts mid-call (killed, then started again on the same port): both
clients notice, reconnect by themselves with backoff, sign in again (the new process
does not know their old tokens), go back to the lobby and are matched into a new call
with video. A client started with no server at all says so and exits non-zero."""
from harness import Failure, Scene, run


def test():
    with Scene() as scene:
        server = scene.server()
        alice = scene.client(server, "alice")
        bob = scene.client(server, "bob")
        first = {}
        for c in (alice, bob):
            first[c.name] = c.expect("matched", timeout=15)["call"]
            c.expect("first-frame", timeout=15)
        server.kill()
        # Back only once each client's first attempt has failed: they keep trying.
        for c in (alice, bob):
            c.expect("reconnecting", timeout=20)
            c.expect("reconnecting", timeout=20, where=lambda e: e["attempt"] >= 2)
        server = scene.server()
        for c in (alice, bob):
            back = c.expect("reconnected", timeout=40)
            if back["resumed"] is not False:
                raise Failure(f"{c.name}: {back}")
            m = c.expect("matched", timeout=15)
            if m["call"] == first[c.name]:
                raise Failure(f"{c.name}: the old call came back")
            c.expect("first-frame", timeout=20)
        for c in (alice, bob):
            if c.proc.poll() is not None:
                raise Failure(f"{c.name} exited")
        print("both clients back in a call after the restart")
        server.stop()

        # A client started with no server at all fails at once.
        lonely = scene.client(server, "lonely")
        err = lonely.expect("error", timeout=10)
        if err["code"] != "connect-failed":
            raise Failure(f"no server: {err}")
        if lonely.wait_exit(timeout=10) == 0:
            raise Failure("no server: exited 0")


run(test)
