"""A person in a browser: Debian's chromium, headless with a fake camera and microphone,
on the web page showcast-server serves at "/" (server/web/), driven by
tests/browser/peer.mjs through playwright-core: it types, clicks and presses keys on the
page as a person does.

It is driven like a headless client (harness.Peer): commands in, events out."""
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


def page_url(server):
    """The page's address: the server's, in http(s) rather than ws(s)."""
    return server.url.replace("wss://", "https://").replace("ws://", "http://")


class Browser(Peer):
    def __init__(self, server, name, prefix=(), width=1280, height=800, profile=None,
                 start=True, interests=None):
        missing = available()
        if missing:
            raise Failure(missing)
        args = [*prefix, "node", DRIVER, "--url", page_url(server), "--name", name,
                "--width", str(width), "--height", str(height)]
        if interests:
            args += ["--interests", interests]
        if profile:
            args += ["--profile", profile]
        if not start:
            args.append("--no-start")
        super().__init__(name, args)

    def stats(self, timeout=10):
        self.send({"cmd": "stats"})
        return self.expect("stats", timeout=timeout)

    def page(self, timeout=10):
        self.send({"cmd": "page"})
        return self.expect("page", timeout=timeout)

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.send({"cmd": "quit"})
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()
