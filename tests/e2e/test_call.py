"""Server and two headless clients: matched, connected and first-frame on both sides;
audio flows from the side that sends it (bob sends none and still hears alice); call
statistics with media both ways; chat both ways with exact text (non-ASCII included); status; bad lines are errors; quit and
EOF leave cleanly and the partner hears "left"."""
from harness import Failure, Scene, run


def test():
    with Scene() as scene:
        server = scene.server()
        alice = scene.client(server, "alice")
        # bob plays what he hears through a sink of his own (a pipeline description): the
        # queue and conversions in front of a playing sink, which "none" skips.
        bob = scene.client(server, "Bób 🦊", audio="none",
                           extra=["--audio-sink", "fakesink sync=true"])

        sa, sb = alice.expect("signed-in"), bob.expect("signed-in")
        if sb["name"] != "Bób 🦊" or sa["id"] == sb["id"]:
            raise Failure(f"bad signed-in events {sa} {sb}")
        ma, mb = alice.expect("matched"), bob.expect("matched")
        if ma["call"] != mb["call"] or ma["peer"]["id"] != sb["id"] or mb["peer"]["name"] != "alice":
            raise Failure(f"matched events disagree: {ma} {mb}")
        if {ma["role"], mb["role"]} != {"offerer", "answerer"}:
            raise Failure("roles are not one offerer and one answerer")

        def direct(path):
            # Straight between the two loopback addresses; the peer's address may be
            # learnt from its first check before its candidate arrives (prflx).
            return (path and path.get("local") == "host" and path.get("protocol") == "udp"
                    and path.get("remote") in ("host", "prflx"))

        for c in (alice, bob):
            connected = c.expect("connected", timeout=10)
            if not direct(connected.get("path")):
                raise Failure(f"{c.name}: connected with path {connected.get('path')}")
            ff = c.expect("first-frame", timeout=10)
            if (ff["width"], ff["height"]) != (320, 240):
                raise Failure(f"{c.name}: unexpected frame size {ff}")

        for c in (alice, bob):
            c.has_seen_or_expect("chat-open", timeout=10)

        audio = bob.has_seen_or_expect("first-audio", timeout=10)
        if audio["rate"] != 48000 or audio["channels"] < 1:
            raise Failure(f"bob decoded odd audio: {audio}")

        texts = ["hello", "Grüße, 世界! 🎉 \"quoted\" \\ back", "x" * 1000]
        for text in texts:
            alice.send({"cmd": "say", "text": text})
            got = bob.expect("chat", timeout=5)
            if got["text"] != text or got["from"] != "alice":
                raise Failure(f"bob got {got!r}, expected {text!r}")
        bob.send({"cmd": "say", "text": "¿qué tal? ✓"})
        got = alice.expect("chat", timeout=5)
        if got["text"] != "¿qué tal? ✓" or got["from"] != "Bób 🦊":
            raise Failure(f"alice got {got!r}")

        # Call statistics, once a second: media flowing both ways, sane numbers.
        for c in (alice, bob):
            st = c.expect("stats", timeout=6,
                          where=lambda e: e["kbps_in"] > 0 and e["kbps_out"] > 0)
            if not 0 <= st["loss"] <= 100 or not 0 <= st.get("rtt_ms", 0) < 1000:
                raise Failure(f"{c.name}: odd statistics {st}")

        # Over the limit: refused with an error, not cut.
        alice.send({"cmd": "say", "text": "y" * 1001})
        err = alice.expect("error", timeout=5)
        if err["code"] != "bad-text":
            raise Failure(f"long message: {err}")

        for line, code in [("not json", "bad-json"), ('{"cmd":"fly"}', "unknown-command"),
                           ('{"cmd":"say"}', "bad-command"), ('{"cmd":"mute","on":"yes"}', "bad-command"),
                           ('{"cmd":"next","x":1}', "bad-command"), ("[1,2]", "bad-json"),
                           ("{" * 100, "bad-json")]:
            alice.send(line)
            err = alice.expect("error", timeout=5)
            if err["code"] != code:
                raise Failure(f"{line!r}: expected {code}, got {err}")

        alice.send({"cmd": "mute", "on": True})
        alice.expect("mute", where=lambda e: e["on"] is True)
        alice.send({"cmd": "camera", "on": False})
        alice.expect("camera", where=lambda e: e["on"] is False)
        alice.send({"cmd": "status"})
        st = alice.expect("status")
        for key, want in [("state", "in-call"), ("mic_muted", True), ("camera_on", False),
                          ("connected", True), ("chat_open", True), ("call", ma["call"])]:
            if st.get(key) != want:
                raise Failure(f"status {key} = {st.get(key)!r}, want {want!r}: {st}")
        if not direct(st.get("path")):
            raise Failure(f"status path: {st}")
        if st["peer"]["name"] != "Bób 🦊":
            raise Failure(f"status peer: {st}")

        # bob sends no audio, so alice can have decoded none.
        if any(e.get("event") == "first-audio" for e in alice.seen):
            raise Failure("alice decoded audio from a peer that sends none")

        # Events carry increasing times.
        ts = [e["t"] for e in alice.seen if "t" in e]
        if ts != sorted(ts):
            raise Failure(f"event times go backwards: {ts}")

        alice.send({"cmd": "quit"})
        alice.expect("bye")
        if alice.wait_exit() != 0:
            raise Failure("quit did not exit 0")
        left = bob.expect("peer-left", timeout=5)
        if left["reason"] != "left":
            raise Failure(f"bob was told {left}, expected reason left")
        bob.expect("waiting", timeout=5)
        bob.proc.stdin.close()   # EOF on stdin: leave cleanly
        bob.expect("bye")
        if bob.wait_exit() != 0:
            raise Failure("EOF did not exit 0")


run(test)
