"""Key identity: --whoami makes a key on first use (mode 0600) and prints the same
fingerprint every time; a client signs in with it and its id is that fingerprint, which
its peer sees; a server without --allow-guests refuses a guest with a clear error; a
second connection with the same key replaces the first (its partner hears "lost")."""
import os
import stat
import subprocess
import tempfile

from harness import CLIENT_BIN, Failure, Scene, run


def whoami(home):
    r = subprocess.run([CLIENT_BIN, "--whoami"], capture_output=True, text=True,
                       env={**os.environ, "XDG_DATA_HOME": home})
    if r.returncode != 0:
        raise Failure(f"--whoami failed: {r.stderr}")
    return r.stdout.strip()


def test():
    home = tempfile.mkdtemp(prefix="showcast-id-")
    first = whoami(home)
    if len(first) != 32 or any(c not in "0123456789abcdef" for c in first):
        raise Failure(f"odd fingerprint {first!r}")
    if whoami(home) != first:
        raise Failure("--whoami changed between runs")
    key = os.path.join(home, "showcast", "identity.key")
    if stat.S_IMODE(os.stat(key).st_mode) != 0o600:
        raise Failure(f"key file mode {oct(os.stat(key).st_mode)}")
    if whoami(tempfile.mkdtemp(prefix="showcast-id-")) == first:
        raise Failure("two homes, one key")

    with Scene() as scene:
        server = scene.server()   # keys only: no --allow-guests
        alice = scene.client(server, "alice", home=home)
        bob = scene.client(server, "bob")
        if alice.expect("signed-in")["id"] != first:
            raise Failure("alice's id is not her key's fingerprint")
        m = bob.expect("matched", timeout=10)
        if m["peer"]["id"] != first:
            raise Failure(f"bob sees alice as {m['peer']}")
        alice.expect("matched", timeout=10)

        guest = scene.client(server, "guest", extra=["--guest"])
        err = guest.expect("error", timeout=10)
        if err["code"] != "guests-not-allowed":
            raise Failure(f"a guest on a keys-only server got {err}")
        if guest.wait_exit(10) == 0:
            raise Failure("a refused guest exited 0")

        # Alice again, from a second connection: it replaces the first.
        alice2 = scene.client(server, "alice-again", home=home)
        if alice2.expect("signed-in")["id"] != first:
            raise Failure("the second connection has another id")
        err = alice.expect("error", timeout=10)
        if err["code"] != "replaced":
            raise Failure(f"the first connection was told {err}")
        left = bob.expect("peer-left", timeout=10)
        if left["reason"] != "lost":
            raise Failure(f"bob was told {left}")
        m = bob.expect("matched", timeout=10)
        if m["peer"]["id"] != first or m["peer"]["name"] != "alice-again":
            raise Failure(f"bob should meet alice's new connection, met {m['peer']}")


run(test)
