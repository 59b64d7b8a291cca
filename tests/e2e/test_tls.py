"""TLS: showcast-server --tls-cert/--tls-key serves wss:// and https://. A client that
trusts the certificate's authority (--ca-file) signs in and calls over wss://; a client
that does not is refused with a clear message (there is no insecure mode); https://
answers /healthz. The certificates are made here, for 127.0.0.1 only. Under
AddressSanitizer the server is leak-checked when it stops (its TLS is glib-networking's)."""
import os
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from harness import Failure, Scene, leak_check_env, run, slowdown


def make_certificates(folder):
    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=folder)
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=showcast test CA")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    with open(os.path.join(folder, "san.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext")
    # And a certificate from an authority nobody trusts.
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "other.key", "-out", "other.pem", "-days", "2", "-subj", "/CN=someone else")


def test():
    folder = tempfile.mkdtemp(prefix="showcast-tls-")
    make_certificates(folder)
    ca = os.path.join(folder, "ca.pem")
    with Scene() as scene:
        server = scene.server(port=18443, extra=["--tls-cert", os.path.join(folder, "server.pem"),
                                                 "--tls-key", os.path.join(folder, "server.key")],
                              scheme="wss", env=leak_check_env())   # checked when it stops
        # Every wait scales with the build's slowdown: under the sanitizers, beside other
        # work, the server's first TLS handshake (its key, glib-networking's start) took
        # more than 5 s once.
        slow = slowdown()
        context = ssl.create_default_context(cafile=ca)
        deadline = time.monotonic() + 20 * slow
        while True:
            try:
                with urllib.request.urlopen("https://127.0.0.1:18443/healthz", context=context,
                                            timeout=5 * slow) as r:
                    if r.status != 200:
                        raise Failure("https healthz not 200")
                    break
            except (urllib.error.URLError, OSError) as e:
                # Not listening yet, or not answering yet: the server is still starting.
                if time.monotonic() > deadline:
                    raise Failure(f"https healthz: {e}")
                time.sleep(0.2)

        alice = scene.client(server, "alice", extra=["--ca-file", ca])
        bob = scene.client(server, "bob", extra=["--ca-file", ca])
        alice.expect("signed-in", timeout=10 * slow)
        bob.expect("matched", timeout=10 * slow)
        alice.expect("first-frame", timeout=15 * slow)

        # No --ca-file: the system's authorities do not know this one. Refused, clearly.
        stranger = scene.client(server, "stranger")
        err = stranger.expect("error", timeout=10 * slow)
        if err["code"] != "tls-failed" or "--ca-file" not in err["message"]:
            raise Failure(f"an untrusted certificate gave {err}")
        code = stranger.wait_exit(10 * slow)
        if code != 1:
            raise Failure(f"a refused TLS connection exited with {code}, not 1")

        # Trusting another authority does not help either.
        other = scene.client(server, "other", extra=["--ca-file", os.path.join(folder, "other.pem")])
        if other.expect("error", timeout=10 * slow)["code"] != "tls-failed":
            raise Failure("a certificate from an untrusted authority was accepted")


if __name__ == "__main__":
    run(test)
