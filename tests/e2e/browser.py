"""A browser as a showcast peer: Debian's chromium, headless with a fake camera and
microphone, running tests/browser/peer.html (a guest speaking docs/protocol.md with the
browser's own WebRTC), driven by tests/browser/peer.mjs through playwright-core.

It is driven like a headless client (harness.Peer): commands in, events out. The server
must allow guests (--allow-guests)."""
import os
import shutil

from harness import Failure, Peer

HERE = os.path.dirname(os.path.abspath(__file__))
BROWSER_DIR = os.path.join(HERE, "..", "browser")
DRIVER = os.path.join(BROWSER_DIR, "peer.mjs")


def available():
    """Why a browser cannot run here, or None."""
    if shutil.which("chromium") is None and not os.path.exists("/usr/bin/chromium"):
        return "chromium is not installed"
    if shutil.which("node") is None:
        return "node is not installed"
    if not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", "playwright-core")):
        return "playwright-core is not installed (npm ci in tests/browser)"
    return None


class Browser(Peer):
    def __init__(self, server, name, prefix=()):
        missing = available()
        if missing:
            raise Failure(missing)
        super().__init__(name, [*prefix, "node", DRIVER, "--server", server.url,
                                "--name", name])

    def stats(self, timeout=10):
        self.send({"cmd": "stats"})
        return self.expect("stats", timeout=timeout)

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.send({"cmd": "quit"})
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()
