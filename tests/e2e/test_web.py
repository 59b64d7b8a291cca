"""The web page (#26): two people in browsers (headless chromium, fake camera and
microphone) on the page showcast-server serves, over https, on a server that takes keys
only (no guests), in this test's own network namespace. Each does what a person does:
types, clicks, presses Esc twice.

- The server serves the page with a Content-Security-Policy that forbids inline script;
  the page has none.
- Each page signs in with an Ed25519 key it made with WebCrypto: not extractable, kept in
  IndexedDB, its id the key's fingerprint (BLAKE2b, as docs/protocol.md says); loaded
  again, the page is the same user.
- The two meet: each page's <video> plays the other's picture, each hears the other.
- A name and a chat line made of HTML, and a bidi override, show as text: no element made,
  no script run, the override gone.
- Mic off is heard as silence, on again as sound; camera off is seen as black.
- A connection dropped under one page (through a relay the test cuts) comes back with a
  ticket: the call goes on, chat still flows, nobody hears peer-left.
- Esc twice and the Next button (from the keyboard) are heard as next; Report ends the call as next and
  counts in /metrics.
- Interests from ?interests= (the interests box): matched says what the two share, and
  the page says "You both like: chess"; new interests typed into the box count from the
  next match.
- Screenshots of a call, wide and narrow (a phone), are kept in the build directory; the
  narrow page does not scroll sideways."""
import base64
import hashlib
import os
import re
import tempfile
import time
import urllib.request
import ssl

from browser import Browser, page_url
from harness import Failure, Scene, log, run, slowdown
from test_tls import make_certificates

HTML_NAME = "<img src=x onerror=pwned=true>"
HTML_CHAT = "<img src=x onerror=\"window.pwned=true\"><b>bold?</b>"
BIDI_CHAT = "invoice\u202Efdp.exe and more"
GRACE_S = 10


def fetch(url, context):
    with urllib.request.urlopen(url, context=context, timeout=10) as r:
        return r.status, dict(r.headers), r.read().decode()


def check_served(server, context):
    status, headers, body = fetch(page_url(server) + "/", context)
    csp = headers.get("Content-Security-Policy", "")
    if status != 200 or "script-src 'self'" not in csp or "unsafe-inline" in csp:
        raise Failure(f"GET /: {status}, CSP {csp!r}")
    if "<script>" in body or "<script type=\"module\">" in body or " on" in body.split(">")[0]:
        raise Failure("the page has inline script")
    for path in ("/showcast.js", "/showcast.css", "/icon.svg"):
        status, headers, _ = fetch(page_url(server) + path, context)
        if status != 200 or headers.get("X-Content-Type-Options") != "nosniff":
            raise Failure(f"GET {path}: {status} {headers}")


def wait_media(browser, slow, what):
    deadline = time.monotonic() + 15 * slow
    while True:
        stats = browser.stats()
        if stats["framesDecoded"] >= 5 and stats["audioSamples"] >= 4800 and \
                stats["audioLevel"] > 0.02:
            return stats
        if time.monotonic() > deadline:
            raise Failure(f"{browser.name}: {what} not decoded: {stats}")
        time.sleep(0.3)


def meet(a, b, slow):
    for p in (a, b):
        p.expect("matched", timeout=20 * slow)
    for p in (a, b):
        connected = p.expect("connected", timeout=20 * slow)
        if not connected.get("path"):
            raise Failure(f"{p.name} connected without a path: {connected}")
        p.has_seen_or_expect("chat-open", timeout=10 * slow)
    wait_media(a, slow, "the other's media")
    wait_media(b, slow, "the other's media")


def check_key(browser, signed_in):
    browser.send({"cmd": "key"})
    key = browser.expect("key")
    if not key["stored"] or key["algorithm"] != "Ed25519" or key["extractable"] is not False:
        raise Failure(f"{browser.name}'s key: {key}")
    fingerprint = hashlib.blake2b(base64.b64decode(key["public"]), digest_size=16).hexdigest()
    if signed_in["id"] != fingerprint:
        raise Failure(f"{browser.name}'s id {signed_in['id']} is not its key's {fingerprint}")


def level(browser):
    return browser.stats()["audioLevel"]


def wait_level(browser, slow, loud):
    deadline = time.monotonic() + 10 * slow
    while True:
        value = level(browser)
        if (value > 0.02) if loud else (value < 0.005):
            return value
        if time.monotonic() > deadline:
            raise Failure(f"{browser.name} heard level {value:.3f}, wanted "
                          f"{'sound' if loud else 'silence'}")
        time.sleep(0.3)


def no_event(peer, name):
    if any(e["event"] == name for e in peer.seen):
        raise Failure(f"{peer.name} had {name}: {peer.brief()}")


def test():
    slow = slowdown()
    folder = tempfile.mkdtemp(prefix="showcast-web-")
    make_certificates(folder)
    shots = os.path.join(os.environ.get("SHOWCAST_BUILD", folder), "screenshots")
    os.makedirs(shots, exist_ok=True)
    context = ssl.create_default_context(cafile=os.path.join(folder, "ca.pem"))
    with Scene() as scene:
        server = scene.server(port=18443, scheme="wss", extra=[
            "--tls-cert", os.path.join(folder, "server.pem"),
            "--tls-key", os.path.join(folder, "server.key"), "--grace", str(GRACE_S)])
        deadline = time.monotonic() + 20 * slow
        while True:
            try:
                check_served(server, context)
                break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        relay = scene.proxy(server)
        relay.url = relay.url.replace("ws://", "wss://")
        alice = Browser(relay, HTML_NAME, interests="chess, cats")
        scene.procs.append(alice)
        bob = Browser(server, "bob", width=390, height=844, interests="Chess")
        scene.procs.append(bob)

        signed_in = {p.name: p.expect("signed-in", timeout=30 * slow) for p in (alice, bob)}
        meet(alice, bob, slow)
        # What they share (#27), from the interests box filled from ?interests=.
        for p in (alice, bob):
            common = next(e for e in p.seen if e["event"] == "matched")["common"]
            if common != ["chess"]:
                raise Failure(f"{p.name} was told they share {common}")
        for p in (alice, bob):
            check_key(p, signed_in[p.name])
        ids = {name: e["id"] for name, e in signed_in.items()}

        # Untrusted text: a name and chat lines made of HTML, a bidi override.
        alice.send({"cmd": "say", "text": HTML_CHAT})
        bob.expect("chat", timeout=5 * slow, where=lambda e: e["text"] == HTML_CHAT)
        bob.send({"cmd": "say", "text": BIDI_CHAT})
        shown = BIDI_CHAT.replace("\u202E", "")
        alice.expect("chat", timeout=5 * slow, where=lambda e: e["text"] == shown)
        for p, heard, peer_name in ((bob, HTML_CHAT, HTML_NAME), (alice, shown, "bob")):
            page = p.page()
            if page["injected"] or page["pwned"]:
                raise Failure(f"{p.name}'s page made elements of a stranger's text: {page}")
            if page["peer"] != peer_name:
                raise Failure(f"{p.name}'s page shows the peer as {page['peer']!r}")
            if not any(line["kind"] == "peer" and line["text"] == heard and
                       line["who"] == peer_name for line in page["lines"]):
                raise Failure(f"{p.name}'s chat log: {page['lines']}")
            if not any(line["text"] == "You both like: chess" for line in page["lines"]):
                raise Failure(f"{p.name}'s page does not say what they share: {page['lines']}")
            if page["focused"] != "text":
                raise Failure(f"{p.name}: the text box does not have focus ({page['focused']})")
            unnamed = [b for b in page["buttons"] if not b["name"]]
            if unnamed:
                raise Failure(f"buttons without a name: {unnamed}")
            if page["remoteVideo"]["width"] <= 0:
                raise Failure(f"{p.name}'s <video> plays nothing: {page['remoteVideo']}")
            if "Connected" not in page["status"]:
                raise Failure(f"{p.name}'s status: {page['status']!r}")
        if bob.page()["overflowX"]:
            raise Failure("the narrow page scrolls sideways")
        for p, size in ((alice, "wide"), (bob, "narrow")):
            path = os.path.join(shots, f"web-{size}.png")
            p.send({"cmd": "screenshot", "path": path})
            p.expect("screenshot", timeout=10 * slow)
            log(f"screenshot of the page in a call ({size}): {path}")

        # Mic off: bob hears silence; on again: sound.
        alice.send({"cmd": "mic"})
        alice.expect("mic", where=lambda e: e["on"] is False)
        wait_level(bob, slow, loud=False)
        alice.send({"cmd": "mic"})
        alice.expect("mic", where=lambda e: e["on"] is True)
        wait_level(bob, slow, loud=True)

        # Camera off: bob sees black; on again: the picture.
        for on in (False, True):
            alice.send({"cmd": "camera"})
            alice.expect("camera", where=lambda e, on=on: e["on"] is on)
            deadline = time.monotonic() + 10 * slow
            while True:
                luma = bob.page()["remoteVideo"]["luma"]
                if luma is not None and ((luma > 40) if on else (luma < 8)):
                    break
                if time.monotonic() > deadline:
                    raise Failure(f"camera {'on' if on else 'off'}: bob sees brightness {luma}")
                time.sleep(0.3)

        # A dropped connection: back with a ticket, the call goes on.
        relay.cut()
        r = alice.expect("reconnecting", timeout=20 * slow)
        back = alice.expect("reconnected", timeout=20 * slow)
        if back["resumed"] is not True:
            raise Failure(f"alice's session was not resumed: {back} after {r}")
        alice.send({"cmd": "say", "text": "still here"})
        bob.expect("chat", timeout=5 * slow, where=lambda e: e["text"] == "still here")
        for p in (alice, bob):
            no_event(p, "peer-left")

        # Esc twice, then the Next button: each heard as next. Only two online: they meet
        # again each time.
        bob.send({"cmd": "esc-esc"})
        left = alice.expect("peer-left", timeout=10 * slow)
        if left["reason"] != "next":
            raise Failure(f"bob's Esc Esc was heard as {left}")
        meet(alice, bob, slow)
        alice.send({"cmd": "press", "target": "next", "key": "Enter"})   # the keyboard alone
        left = bob.expect("peer-left", timeout=10 * slow)
        if left["reason"] != "next":
            raise Failure(f"alice's Next was heard as {left}")
        meet(alice, bob, slow)

        # Report: heard as next, counted, and the two are kept apart.
        alice.send({"cmd": "report"})
        left = bob.expect("peer-left", timeout=10 * slow)
        if left["reason"] != "next":
            raise Failure(f"alice's report was heard as {left}")
        _, _, metrics = fetch(page_url(server) + "/metrics", context)
        if not re.search(r"^showcast_reports_total\{[^}]*\} 1$", metrics, re.M):
            raise Failure("the report was not counted")

        # New interests from the box: confirmed, for the next match.
        bob.send({"cmd": "interests", "text": "Tea,  jazz"})
        listed = bob.expect("interests", timeout=5 * slow)
        if listed["list"] != ["tea", "jazz"]:
            raise Failure(f"bob's new interests: {listed}")

        # Loaded again, the page is the same user: its key was kept.
        alice.send({"cmd": "reload"})
        again = alice.expect("signed-in", timeout=30 * slow)
        if again["id"] != ids[alice.name]:
            raise Failure(f"alice came back as {again['id']}, not {ids[alice.name]}")
        for p in (alice, bob):
            bad = [e for e in p.seen if e["event"] in ("page-error", "call-failed")]
            if bad:
                raise Failure(f"{p.name}: {bad}")


if __name__ == "__main__":
    run(test)
