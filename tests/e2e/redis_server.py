"""A throwaway redis-server on loopback for tests (no persistence, its own port)."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

from harness import Failure


class RedisServer:
    def __init__(self, port=16379):
        if shutil.which("redis-server") is None:
            raise Failure("redis-server is not installed")
        self.port = port
        self.url = f"redis://127.0.0.1:{port}"
        self.dir = tempfile.mkdtemp(prefix="showcast-redis-")
        self.log = open(os.path.join(self.dir, "redis.log"), "w")
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise Failure("redis-server did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=5)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
