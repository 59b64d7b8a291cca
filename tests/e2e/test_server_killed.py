"""The server killed mid-call: both clients report an error and exit non-zero by
themselves; nothing hangs. (Reconnection is issue #4.)"""
from harness import Failure, Scene, run


def test():
    with Scene() as scene:
        server = scene.server()
        alice = scene.client(server, "alice")
        bob = scene.client(server, "bob")
        for c in (alice, bob):
            c.expect("first-frame", timeout=15)
        server.kill()
        for c in (alice, bob):
            err = c.expect("error", timeout=10)
            if err["code"] != "server-lost":
                raise Failure(f"{c.name}: {err}")
            c.expect("bye", timeout=10)
            code = c.wait_exit(timeout=10)
            if code == 0:
                raise Failure(f"{c.name} exited 0 after losing the server")

        # A client started with no server at all fails the same way, at once.
        lonely = scene.client(server, "lonely")
        err = lonely.expect("error", timeout=10)
        if err["code"] != "connect-failed":
            raise Failure(f"no server: {err}")
        if lonely.wait_exit(timeout=10) == 0:
            raise Failure("no server: exited 0")


run(test)
