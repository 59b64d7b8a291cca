"""A real coturn (Debian's `turnserver`) for a test: STUN and TURN on one UDP and TCP
port, with coturn's use-auth-secret (the TURN REST API scheme showcast-server's
--turn-secret makes credentials for)."""
import os
import shutil
import subprocess
import tempfile
import time

from harness import Failure


class Coturn:
    def __init__(self, secret, address="127.0.0.1", port=3478):
        if shutil.which("turnserver") is None:
            raise Failure("turnserver (coturn) is not installed")
        self.dir = tempfile.mkdtemp(prefix="showcast-coturn-")
        self.log_path = os.path.join(self.dir, "turn.log")
        self.log = open(self.log_path, "w")
        # Peers on loopback (the suite) or on a lab's private addresses: coturn's defaults
        # relay to private addresses; loopback it must be told.
        loopback = ["--allow-loopback-peers"] if address.startswith("127.") else []
        self.proc = subprocess.Popen(
            ["turnserver", "-n", f"--listening-ip={address}", f"--relay-ip={address}",
             f"--listening-port={port}", "--min-port=49152", "--max-port=49252",
             "--use-auth-secret", f"--static-auth-secret={secret}", "--realm=showcast.test",
             *loopback, "--no-cli", "--no-tls", "--no-dtls", "--verbose",
             "--log-file=stdout", "--simple-log", f"--pidfile={self.dir}/turn.pid",
             f"--userdb={self.dir}/turndb", "--no-software-attribute"],
            stdout=self.log, stderr=subprocess.STDOUT)
        time.sleep(0.5)
        if self.proc.poll() is not None:
            raise Failure(f"coturn exited: {self.text()}")

    def text(self):
        self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=5)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
