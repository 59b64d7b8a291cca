"""Process harness for showcast's end-to-end tests.

Starts a real showcast-server and real headless clients, reads their JSON events with
timeouts, and cleans up every process whatever happens. Tests run inside a network
namespace holding only loopback (tests/netns-run), so fixed ports cannot collide.
"""

import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

BUILD = os.environ.get("SHOWCAST_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
SERVER_BIN = os.path.join(BUILD, "server", "showcast-server")
CLIENT_BIN = os.path.join(BUILD, "showcast")

# A small, cheap test picture: two cores run several clients at once.
SMALL_VIDEO = ("videotestsrc is-live=true pattern=ball ! "
               "video/x-raw,width=320,height=240,framerate=15/1")


class Failure(Exception):
    pass


def slowdown():
    """How much slower the programs run here than in a plain build: waits for what the
    server or a client does in its own time are multiplied by it (AddressSanitizer and
    UndefinedBehaviorSanitizer: about three times; meson passes b_sanitize as
    SHOWCAST_SANITIZE)."""
    return 3 if "address" in os.environ.get("SHOWCAST_SANITIZE", "") else 1


def drop_udp(percent):
    """Drops PERCENT % of the UDP packets arriving in this namespace (nftables, input
    hook: the sender is not told, as on a real network). Signalling is TCP, untouched.
    Needs the namespace of tests/netns-run: the rule would otherwise be the host's."""
    def nft(*args):
        subprocess.run(["nft", *args], check=True, capture_output=True, text=True)
    nft("add", "table", "inet", "sc_loss")
    nft("add", "chain", "inet", "sc_loss", "in",
        "{ type filter hook input priority 0; policy accept; }")
    nft("add", "rule", "inet", "sc_loss", "in", "meta", "l4proto", "udp",
        "numgen", "random", "mod", "100", "<", str(percent), "counter", "drop")


def dropped_packets():
    """How many packets drop_udp's rule has dropped so far."""
    out = subprocess.run(["nft", "list", "table", "inet", "sc_loss"], check=True,
                         capture_output=True, text=True).stdout
    return int(re.search(r"counter packets (\d+)", out).group(1))


def log(*args):
    print(*args, file=sys.stderr, flush=True)


class Server:
    def __init__(self, port=18080, address="127.0.0.1", extra=(), scheme="ws", verbose=True,
                 env=None):
        self.port = port
        self.address = address
        host = f"[{address}]" if ":" in address else address
        self.url = f"{scheme}://{host}:{port}"
        self.http = f"{'https' if scheme == 'wss' else 'http'}://{host}:{port}"
        self.stderr_path = f"/tmp/showcast-server-{os.getpid()}-{port}.log"
        self.stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(
            [SERVER_BIN, "--listen", f"{host}:{port}", *(["-v"] if verbose else []), *extra],
            stdout=subprocess.DEVNULL, stderr=self.stderr,
            env={**os.environ, **env} if env else None)
        self.wait_healthy()

    def wait_healthy(self, timeout=10):
        if self.http.startswith("https"):
            # Checked by the TLS test itself, with its own authority.
            time.sleep(0.3)
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failure(f"server exited with {self.proc.returncode}: {self.log_text()}")
            try:
                with urllib.request.urlopen(self.http + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise Failure("server did not become healthy")

    def metrics(self):
        """Every showcast_* figure of /metrics (histogram buckets left out), by name."""
        with urllib.request.urlopen(self.http + "/metrics", timeout=5) as r:
            text = r.read().decode()
        return {m.group(1): float(m.group(2))
                for m in re.finditer(r"^(showcast_\w+)\{node=\"[^\"]*\"\} (\S+)$", text, re.M)}

    def metric(self, name):
        value = self.metrics().get(name)
        if value is None:
            raise Failure(f"no {name} in /metrics")
        return value

    def log_text(self):
        self.stderr.flush()
        with open(self.stderr_path) as f:
            return f.read()

    def kill(self, sig=signal.SIGKILL):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=10)

    def stop(self):
        """Stops the server as an operator would (SIGTERM). A server that was running
        must exit 0 within 5 s: a crash or a hang on the way out is a failure."""
        problem = None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                if self.proc.wait(timeout=5) != 0:
                    problem = f"exited with {self.proc.returncode} on SIGTERM"
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                problem = "did not exit within 5 s of SIGTERM"
        self.stderr.close()
        if problem:
            with open(self.stderr_path) as f:
                tail = f.read()[-3000:]
            raise Failure(f"server on port {self.port} {problem}:\n{tail}")


class Proxy:
    """A TCP relay between clients and the server that the test can cut (every relayed
    connection dropped without a WebSocket goodbye, as when a network path dies) and
    block (new connections refused). Like a home router going away and coming back."""

    def __init__(self, target_port, port=18090, host="127.0.0.1"):
        import socket
        self.socket_mod = socket
        self.host, self.port, self.target = host, port, target_port
        self.url = f"ws://{host}:{port}"
        self.lock = threading.Lock()
        self.conns = []
        self.listener = None
        self.unblock()

    def unblock(self):
        if self.listener:
            return
        sock = self.socket_mod.socket()
        sock.setsockopt(self.socket_mod.SOL_SOCKET, self.socket_mod.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(64)
        self.listener = sock
        threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def block(self):
        if self.listener:
            self.listener.close()
            self.listener = None

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = self.socket_mod.create_connection((self.host, self.target))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns.append((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            try:
                sock.shutdown(self.socket_mod.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        """Drops every relayed connection at once: both ends see the TCP connection
        end with no WebSocket close frame."""
        with self.lock:
            conns, self.conns = self.conns, []
        for pair in conns:
            for sock in pair:
                try:
                    sock.shutdown(self.socket_mod.SHUT_RDWR)
                    sock.close()
                except OSError:
                    pass

    def stop(self):
        self.block()
        self.cut()


def leak_check_env():
    """Environment for a client or server whose leaks should fail the test: under
    AddressSanitizer (meson passes b_sanitize as SHOWCAST_SANITIZE) LeakSanitizer runs
    when the process exits and makes its exit status non-zero. The e2e suite runs with
    leak checks off (webrtcbin's calls in other tests would each need a look); a test
    asks for them where it wants them. Whole allocation stacks are needed for the
    suppressions (GLib's and OpenSSL's own, tests/lsan.supp), and each GObject its own
    allocation so that a lost one shows. LeakSanitizer's tracer crashes (signal 11)
    reading the thread-local storage of a module loaded at run time (glib-networking's
    TLS) with this toolchain, so it leaves that storage out (intercept_tls_get_addr=0).
    Empty outside AddressSanitizer."""
    if "address" not in os.environ.get("SHOWCAST_SANITIZE", ""):
        return {}
    here = os.path.dirname(os.path.abspath(__file__))
    return {"ASAN_OPTIONS": "detect_leaks=1:intercept_tls_get_addr=0",
            "LSAN_OPTIONS": f"suppressions={os.path.join(here, '..', 'lsan.supp')}"
                            ":fast_unwind_on_malloc=0",
            "G_SLICE": "always-malloc"}


class Peer:
    """A program that speaks JSON lines: commands on its stdin, one event per line on its
    stdout, read by a thread onto a queue (the headless client; a browser: browser.py)."""

    def __init__(self, name, args, env=None):
        self.name = name
        self.events = queue.Queue()
        self.seen = []          # every event, in order
        self.stderr_path = f"/tmp/showcast-{type(self).__name__.lower()}-{os.getpid()}-{name}.log"
        self.stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, text=True, encoding="utf-8",
                                     env={**os.environ, **(env or {})})
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            try:
                event = json.loads(line)
            except ValueError:
                event = {"event": "_not-json", "line": line}
            event["_rx"] = time.monotonic()   # when the harness read it
            self.events.put(event)
        self.events.put({"event": "_eof"})

    def send(self, obj):
        line = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def next_event(self, timeout):
        try:
            event = self.events.get(timeout=timeout)
        except queue.Empty:
            return None
        self.seen.append(event)
        return event

    def expect(self, name, timeout=10, where=None):
        """Returns the first event called NAME (optionally matching WHERE), skipping
        others; fails after TIMEOUT seconds or at end of output."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            event = self.next_event(left)
            if event is None:
                break
            if event["event"] == name and (where is None or where(event)):
                return event
            if event["event"] == "_eof":
                raise Failure(f"{self.name}: output ended while waiting for {name}; "
                              f"seen {self.brief()}\n{self.log_tail()}")
        raise Failure(f"{self.name}: no {name} within {timeout} s; seen {self.brief()}\n"
                      f"{self.log_tail()}")

    def has_seen_or_expect(self, name, timeout=10):
        """Like expect, but an event NAME that was already read counts."""
        for e in self.seen:
            if e.get("event") == name:
                return e
        return self.expect(name, timeout)

    def brief(self):
        """The last events' names; an error with its code and message, which say why."""
        return [f"error({e.get('code')}: {e.get('message')})" if e.get("event") == "error"
                else e.get("event") for e in self.seen[-30:]]

    def log_tail(self, n=25):
        self.stderr.flush()
        with open(self.stderr_path, errors="replace") as f:
            return "".join(f.readlines()[-n:])

    def wait_exit(self, timeout=10):
        return self.proc.wait(timeout=timeout)

    def kill(self, sig=signal.SIGKILL):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.send({"cmd": "quit"})
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()


class Client(Peer):
    """A headless showcast client."""

    def __init__(self, server, name, video=SMALL_VIDEO, audio="test", extra=(), home=None,
                 env=None, prefix=(), ice_address="127.0.0.1"):
        """PREFIX: a command that runs the client elsewhere (a lab's namespace:
        netlab.py); ICE_ADDRESS: the one local address it offers (None: libnice's own
        choice, as off loopback)."""
        # Each client has a data directory of its own, so a key of its own (its id).
        self.home = home or tempfile.mkdtemp(prefix="showcast-home-")
        args = [*prefix, CLIENT_BIN, "--headless", "--server", server.url, "--name", name,
                "--video-source", video, "--audio-source", audio,
                "--video-sink", "none", "--audio-sink", "none",
                *(["--ice-address", ice_address] if ice_address else []), "-v", *extra]
        super().__init__(name, args, env={"XDG_DATA_HOME": self.home, **(env or {})})

def first_of(clients, name, timeout=15):
    """Waits until one of CLIENTS has an event NAME; returns (client, event)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for c in clients:
            event = c.next_event(0.05)
            if event and event["event"] == name:
                return c, event
    raise Failure(f"none of {[c.name for c in clients]} had {name} within {timeout} s")


class Scene:
    """Owns every process of a test and stops them all on exit."""

    def __init__(self):
        self.procs = []

    def server(self, **kw):
        s = Server(**kw)
        self.procs.append(s)
        return s

    def client(self, server, name, **kw):
        c = Client(server, name, **kw)
        self.procs.append(c)
        return c

    def proxy(self, server, **kw):
        p = Proxy(server.port, **kw)
        self.procs.append(p)
        return p

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        failures = []
        for p in reversed(self.procs):
            try:
                p.stop()
            except Failure as e:  # keep cleaning up; report once everything is stopped
                failures.append(e)
            except Exception as e:
                log("cleanup:", e)
        if failures and exc_type is None:
            raise failures[0]
        for e in failures:
            log("cleanup:", e)
        return False


def run(test):
    """Runs TEST(); exit 0 on success, 1 with the reason on failure."""
    try:
        test()
    except Failure as e:
        log("FAIL:", e)
        sys.exit(1)
    log("ok")
    sys.exit(0)
