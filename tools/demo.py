#!/usr/bin/env python3
"""showcast demo: a lobby server on 127.0.0.1, two test-pattern bots, and you.

Everything runs on loopback (inside a network namespace of its own when ./run can make
one). The bots are ordinary headless showcast clients with a test picture; they greet
whoever they meet and echo what is said to them. You get the real terminal panel:
type to chat, Ctrl-N for the next bot, F1 for help, Ctrl-Q to quit.

With --tour (used by the test suite, and when stdin is not a terminal) the demo plays
itself with a headless client: match, chat, next, match again, quit, and exits 0 only
if all of it happened.
"""

import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("SHOWCAST_BUILD", os.path.join(HERE, "..", "build"))
SERVER = os.path.join(BUILD, "server", "showcast-server")
CLIENT = os.path.join(BUILD, "showcast")
PORT = 8080
URL = f"ws://127.0.0.1:{PORT}"
BOT_VIDEO = ("videotestsrc is-live=true pattern={} ! "
             "video/x-raw,width=640,height=480,framerate=30/1")


class Proc:
    def __init__(self, name, args, on_event=None):
        self.name = name
        self.log = open(f"/tmp/showcast-demo-{name}.log", "w")
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, text=True, encoding="utf-8")
        self.on_event = on_event
        self.call = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if self.on_event:
                self.on_event(self, event)

    def send(self, obj):
        try:
            self.proc.stdin.write(json.dumps(obj, ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def stop(self):
        if self.proc.poll() is None:
            self.send({"cmd": "quit"})
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


BOTS = ("ballbot", "barbot")


def bot_behaviour(bot, event):
    kind = event.get("event")
    if kind == "matched":
        bot.call = event["call"]
        if bot.name == BOTS[0] and event["peer"]["name"] in BOTS:
            # Two bots have nothing to say to each other: one of them skips after a
            # moment, so that a person waiting in the lobby gets a bot. (Both skipping
            # at once would make the second skip land on the person.) Only that call,
            # though: by then the bot may be talking to someone else.
            def skip(call=event["call"]):
                if bot.call == call:
                    bot.send({"cmd": "next"})
            threading.Timer(1.0, skip).start()
    elif kind == "peer-left":
        bot.call = None
    elif kind == "chat-open":
        bot.send({"cmd": "say", "text": f"Hi! I am {bot.name}, a test pattern. Say something."})
    elif kind == "chat":
        bot.send({"cmd": "say", "text": f"{bot.name} heard: {event['text']}"})


def describe(event):
    kind = event.get("event")
    if kind == "signed-in":
        return f"signed in as {event['name']} (id {event['id']})"
    if kind == "waiting":
        return f"waiting in the lobby ({event['queue']} waiting)"
    if kind == "matched":
        return f"matched with {event['peer']['name']} ({event['role']})"
    if kind == "connected":
        return "connected peer to peer"
    if kind == "first-frame":
        return f"video: first frame {event['width']}x{event['height']}"
    if kind == "chat":
        return f"<{event['from']}> {event['text']}"
    if kind == "peer-left":
        return f"peer left ({event['reason']})"
    if kind == "error":
        return f"error {event['code']}: {event['message']}"
    return json.dumps(event, ensure_ascii=False)


def main():
    parser = argparse.ArgumentParser(description="showcast demo on loopback")
    parser.add_argument("--tour", action="store_true", help="play the demo by itself")
    parser.add_argument("--video-sink", default=None,
                        help="your client's video sink (default: window with a display, else terminal)")
    args = parser.parse_args()
    tour = args.tour or not sys.stdin.isatty()

    procs = []
    events = queue.Queue()
    server_log = open("/tmp/showcast-demo-server.log", "w")
    server = subprocess.Popen([SERVER, "--listen", f"127.0.0.1:{PORT}", "--allow-guests"],
                              stderr=server_log)
    time.sleep(0.3)
    try:
        me = None
        if tour:
            me = Proc("you", [CLIENT, "--headless", "--guest", "--server", URL, "--name", "you",
                              "--video-source", "test", "--audio-source", "test",
                              "--video-sink", args.video_sink or "none", "--audio-sink", "none",
                              "--ice-address", "127.0.0.1"],
                      lambda p, e: events.put(e))
            procs.append(me)
        for name, pattern in zip(BOTS, ("ball", "smpte")):
            procs.append(Proc(name, [CLIENT, "--headless", "--guest", "--server", URL, "--name", name,
                                     "--video-source", BOT_VIDEO.format(pattern),
                                     "--audio-source", "test", "--video-sink", "none",
                                     "--audio-sink", "none", "--ice-address", "127.0.0.1"],
                              bot_behaviour))
        if tour:
            print(f"showcast demo: lobby on {URL}, bots ballbot and barbot", flush=True)
            return run_tour(me, events)
        # You: the real panel, in this terminal.
        panel = [CLIENT, "--server", URL, "--name", os.environ.get("USER") or "you",
                 "--ice-address", "127.0.0.1", "--log-file", "/tmp/showcast-demo-you.log"]
        if args.video_sink:
            panel += ["--video-sink", args.video_sink]
        return subprocess.call(panel)
    finally:
        for p in reversed(procs):
            p.stop()
        server.terminate()
        server.wait()


def wait_for(events, name, timeout=20, quiet_end=False):
    """Prints events until one called NAME (any, if NAME is None) arrives."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            event = events.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        print("  " + describe(event), flush=True)
        if name is None or event.get("event") == name:
            return event
    if quiet_end:
        return None
    raise SystemExit(f"demo: no {name} within {timeout} s")


def wait_all(events, names, timeout=20):
    """Waits for every event in NAMES, in any order."""
    left = set(names)
    deadline = time.monotonic() + timeout
    while left:
        event = wait_for(events, None, max(0.1, deadline - time.monotonic()), quiet_end=True)
        if event is None:
            raise SystemExit(f"demo: no {', '.join(sorted(left))} within {timeout} s")
        left.discard(event.get("event"))


def run_tour(me, events):
    first = wait_for(events, "matched")
    wait_all(events, {"first-frame", "chat"})     # the picture and the bot's greeting
    me.send({"cmd": "say", "text": "hello from the tour ✓"})
    echo = wait_for(events, "chat")
    if "hello from the tour ✓" not in echo["text"]:
        raise SystemExit(f"demo: unexpected echo {echo}")
    me.send({"cmd": "next"})
    second = wait_for(events, "matched")
    if second["peer"]["id"] == first["peer"]["id"]:
        raise SystemExit("demo: next gave the same bot back while the other one waited")
    wait_all(events, {"first-frame", "chat"})
    me.send({"cmd": "quit"})
    wait_for(events, "bye")
    print("demo tour: sign-in, lobby, match, video, chat and next all worked", flush=True)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
