"""Drives the real terminal panel inside tmux: start it, type keys, read the screen.

Each Panel runs its own tmux server (-L NAME, no user config) so tests never touch a
user's tmux and can run in parallel. The pane stays after the client exits
(remain-on-exit) so a test can still read the screen and the exit status.
"""

import os
import re
import subprocess
import tempfile
import time

from harness import CLIENT_BIN, Failure

TMUX = "tmux"


class Panel:
    def __init__(self, server, name, width=120, height=36, env=None, extra=(), video="test",
                 no_name=False):
        self.name = name
        self.socket = f"sc-{os.getpid()}-{abs(hash(name)) % 100000}"
        self.log = f"/tmp/showcast-panel-{os.getpid()}-{abs(hash(name)) % 100000}.log"
        environment = {"LANG": "C.UTF-8", "TERM": "screen-256color",
                       "XDG_DATA_HOME": tempfile.mkdtemp(prefix="showcast-home-")}
        environment.update(env or {})
        args = [CLIENT_BIN, "--server", server.url, *([] if no_name else ["--name", name]),
                "--audio-sink", "none",
                "--ice-address", "127.0.0.1", "--log-file", self.log, "-v", *extra]
        # "test": a small ball; None: the client's own test picture (640x480@30) and
        # tone; "auto": the client's default, the system's camera and microphone.
        if video == "test":
            args += ["--video-source", "videotestsrc is-live=true pattern=ball ! "
                     "video/x-raw,width=320,height=240,framerate=15/1", "--audio-source", "test"]
        elif video is None:
            args += ["--video-source", "test", "--audio-source", "test"]
        # Under a shell, as a user runs it. The shell writes the client's exit status to
        # a file: tmux's own #{pane_dead_status} is not reliable (it does not always
        # reap the pane's process).
        self.status_file = self.log + ".status"
        if os.path.exists(self.status_file):
            os.unlink(self.status_file)
        command = "sh -c " + _quote(" ".join(_quote(a) for a in args) +
                                    f"; echo $? > {_quote(self.status_file)}")
        self._tmux("-f", "/dev/null", "new-session", "-d", "-x", str(width), "-y", str(height),
                   *sum((["-e", f"{k}={v}"] for k, v in environment.items()), []),
                   command)
        self._tmux("set-option", "-g", "remain-on-exit", "on")

    def _tmux(self, *args, check=True):
        r = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True)
        if check and r.returncode != 0:
            raise Failure(f"tmux {' '.join(args[:2])}: {r.stderr.strip()}")
        return r.stdout

    def screen(self, escapes=False):
        return self._tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "0")

    def rows(self):
        return self.screen().split("\n")

    def title(self):
        return self._tmux("display-message", "-p", "-t", "0", "#{pane_title}").strip()

    def info(self, fmt):
        return self._tmux("display-message", "-p", "-t", "0", fmt).strip()

    def keys(self, *keys):
        self._tmux("send-keys", "-t", "0", *keys)

    def type(self, text):
        self._tmux("send-keys", "-t", "0", "-l", text)

    def resize(self, width, height):
        self._tmux("resize-window", "-t", "0", "-x", str(width), "-y", str(height))

    def wait_for(self, pattern, timeout=15):
        """Waits until the screen matches PATTERN (a regular expression)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if re.search(pattern, text):
                return text
            time.sleep(0.1)
        raise Failure(f"panel {self.name}: {pattern!r} not on screen within {timeout} s:\n"
                      f"{self.screen()}\n--- log ---\n{self.log_tail()}")

    def client_pid(self):
        """The showcast process (the pane's shell runs it)."""
        shell = self.info("#{pane_pid}")
        out = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
        if not out:
            raise Failure(f"panel {self.name}: the client is not running")
        return int(out[0])

    def wait_exit(self, timeout=10):
        """The client's exit status, once it has exited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with open(self.status_file) as f:
                    text = f.read().strip()
                if text:
                    return int(text)
            except OSError:
                pass
            time.sleep(0.1)
        raise Failure(f"panel {self.name}: no exit status within {timeout} s")

    def log_tail(self, n=20):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return "(no log)"

    def stop(self):
        self._tmux("kill-server", check=False)


def _quote(arg):
    return "'" + arg.replace("'", "'\\''") + "'"
