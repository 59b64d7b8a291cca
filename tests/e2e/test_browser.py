"""showcast and a standard WebRTC peer (#23, #26): headless chromium (Debian's, fake
camera and microphone) on the web page showcast-server serves (a guest on this server),
used as a person uses it, against the headless client, in this test's own network
namespace.

In both roles (the browser offers, showcast offers), until each has been seen:
- video and audio both ways: showcast decodes the browser's picture and sound
  (first-frame, first-audio); the browser's getStats counts frames and audio samples
  decoded, and its Web Audio analyser hears showcast's test tone;
- chat both ways with the exact text;
- next from either side is heard as next: the page's Next button, Esc twice within a
  second, the terminal's next (the page sends next and closes its peer connection at
  once: its SCTP abort must not end the call as "lost").
Then a closed tab is heard by showcast within 1 s (scaled under the sanitizers)."""
import time

from browser import Browser
from harness import Failure, Scene, log, run, slowdown

CHAT_OUT = "héllo from the terminal ✓ <b>not bold</b>"
CHAT_IN = "and hello from a browser 🦊"


def check_call(browser, term, slow):
    matched = browser.expect("matched", timeout=15 * slow)
    term.expect("matched", timeout=15 * slow)
    role = matched["role"]
    term.expect("first-frame", timeout=15 * slow)
    term.has_seen_or_expect("first-audio", timeout=10 * slow)
    connected = term.has_seen_or_expect("connected", timeout=10 * slow)
    if connected.get("path") is None:
        raise Failure(f"connected without a path: {connected}")
    browser.has_seen_or_expect("chat-open", timeout=10 * slow)
    term.has_seen_or_expect("chat-open", timeout=10 * slow)

    # The browser decodes showcast's video and audio, and hears the tone.
    deadline = time.monotonic() + 10 * slow
    while True:
        stats = browser.stats()
        if stats["framesDecoded"] >= 5 and stats["audioSamples"] >= 4800 and \
                stats["audioLevel"] > 0.05:
            break
        if time.monotonic() > deadline:
            raise Failure(f"browser ({role}): showcast's media not decoded: {stats}")
        time.sleep(0.3)

    video = browser.page()["remoteVideo"]
    if video["width"] <= 0 or video["height"] <= 0:
        raise Failure(f"browser ({role}): the page's <video> plays nothing: {video}")

    term.send({"cmd": "say", "text": CHAT_OUT})
    browser.expect("chat", timeout=5 * slow, where=lambda e: e["text"] == CHAT_OUT)
    browser.send({"cmd": "say", "text": CHAT_IN})
    term.expect("chat", timeout=5 * slow, where=lambda e: e["text"] == CHAT_IN)
    for p in (browser, term):
        bad = [e for e in p.seen if e["event"] in ("page-error", "call-failed", "error")]
        if bad:
            raise Failure(f"{p.name} ({role}): {bad}")
    return role, stats


def test():
    slow = slowdown()
    with Scene() as scene:
        server = scene.server(extra=["--allow-guests"])
        browser = Browser(server, "chromium")
        scene.procs.append(browser)
        browser.expect("waiting", timeout=30 * slow)
        # The page says the browser's language (en-US: "en"); so does the terminal user.
        term = scene.client(server, "terminal", extra=["--language", "en"])

        roles = {}
        # Skips from each side in turn; the browser's with its Next button, then with
        # Esc twice. The other side hears next each time.
        skips = ["next", "terminal", "esc-esc", "terminal"]
        for attempt in range(12):
            role, stats = check_call(browser, term, slow)
            if role not in roles:
                roles[role] = stats
                log(f"browser as {role}: {stats['framesDecoded']} frames and "
                    f"{stats['audioSamples']} audio samples decoded, level "
                    f"{stats['audioLevel']:.2f}")
            skip = skips[attempt % len(skips)]
            if skip == "terminal":
                term.send({"cmd": "next"})
                left = browser.expect("peer-left", timeout=10 * slow)
            else:
                browser.send({"cmd": skip})
                left = term.expect("peer-left", timeout=10 * slow)
            if left["reason"] != "next":
                raise Failure(f"the {skip} skip was heard as {left['reason']}")
            if len(roles) == 2 and attempt >= 2:
                break
        if len(roles) != 2:
            raise Failure(f"the browser was only ever the {list(roles)}")

        # A closed tab: its WebSocket closes, and the partner hears of it at once.
        check_call(browser, term, slow)
        browser.send({"cmd": "close-tab"})
        browser.expect("tab-closed", timeout=10 * slow)
        closed = time.monotonic()
        left = term.expect("peer-left", timeout=5 * slow)
        took = time.monotonic() - closed
        if took > 1.0 * slow:
            raise Failure(f"a closed tab was heard after {took:.2f} s")
        log(f"closed tab heard as {left['reason']} after {took * 1000:.0f} ms")


if __name__ == "__main__":
    run(test)
