"""Untrusted input to the server over a real WebSocket: bad JSON, unknown types, wrong
fields, oversized and deeply nested messages each get an error message back, and the
server keeps serving (a real client still signs in and gets matched afterwards).
Also /healthz, and listening on [::1]."""
import urllib.request
from harness import Failure, Scene, leak_check_env, run
from ws_frames import RawWebSocket


def test():
    with Scene() as scene:
        server = scene.server(address="::1", port=18081, extra=["--allow-guests"],
                              env=leak_check_env())   # checked when it stops
        with urllib.request.urlopen(server.http + "/healthz", timeout=5) as r:
            if r.status != 200:
                raise Failure("healthz not 200")

        ws = RawWebSocket("::1", 18081)
        hello = ws.recv()
        if hello.get("type") != "hello" or len(hello.get("nonce", "")) < 40 or hello.get("guests") is not True:
            raise Failure(f"the server did not open with hello: {hello}")
        cases = [
            ('{"type":"next"}', "not-signed-in"),
            ("not json at all", "bad-json"),
            ('{"type":"teleport"}', "unknown-type"),
            ('{"type":"matched","call":"c"}', "wrong-direction"),
            ('{"type":"sign-in","version":"1","name":"x"}', "bad-message"),
            ('{"type":"sign-in","version":1,"name":"x","admin":true}', "bad-message"),
            ('{"type":"sign-in","version":1,"name":"' + "n" * 40 + '"}', "bad-name"),
            ('{"type":"sign-in","version":1,"name":"a\\u001b[2Jb"}', "bad-name"),
            ('{"type":"sign-in","version":7,"name":"x"}', "unsupported-version"),
            ('{"type":"sign-in","version":1,"name":"x","key":"AAAA"}', "bad-message"),
            ('{"type":"sign-in","version":1,"name":"x","key":"AAAA","signature":"AAAA"}', "bad-key"),
            ('{"type":"sign-in","version":1,"name":"x","key":"' + "A" * 43 + '=","signature":"' +
             "A" * 86 + '=="}', "bad-signature"),
            ('{"type":"next","x":' + "[" * 2000 + "]" * 2000 + "}", "too-deep"),
            ('{"type":"candidate","call":"c","mline":0,"candidate":"' + "a" * 5000 + '"}', "too-large"),
            ('{"type":"offer","call":"c","sdp":"' + "v" * 66000 + '"}', "too-large"),
        ]
        for text, code in cases:
            ws.send(text)
            reply = ws.recv()
            if reply.get("type") != "error" or reply.get("code") != code:
                raise Failure(f"{text[:60]!r}: expected error {code}, got {reply}")
            if not reply.get("message"):
                raise Failure(f"error without a message: {reply}")
        ws.send(b"\x00\x01binary", opcode=2)
        reply = ws.recv()
        if reply.get("code") != "bad-message":
            raise Failure(f"binary frame: {reply}")

        # Now sign in properly on the same socket, then a real client meets us.
        ws.send('{"type":"sign-in","version":1,"name":"  raw  "}')
        signed = ws.recv()
        if signed.get("type") != "signed-in" or signed.get("name") != "raw":
            raise Failure(f"sign-in: {signed}")
        if ws.recv().get("type") != "waiting":
            raise Failure("no waiting after sign-in")

        alice = scene.client(server, "alice")
        m = alice.expect("matched", timeout=10)
        if m["peer"]["name"] != "raw":
            raise Failure(f"alice met {m['peer']}")
        # Our raw side gets matched too, then alice's offer relayed through the server.
        got = ws.recv()
        if got.get("type") != "matched" or got["peer"]["name"] != "alice":
            raise Failure(f"raw side: {got}")
        if got["role"] == "answerer":
            offer = ws.recv()
            while offer.get("type") == "candidate":
                offer = ws.recv()
            if offer.get("type") != "offer" or not offer["sdp"].startswith("v=0"):
                raise Failure(f"expected a relayed offer, got {offer}")

        # A frame over libsoup's hard cap closes the socket with 1009 (message too big).
        # The server closes with our unread bytes still queued, so the kernel may reset
        # the connection before the close frame is read: either counts as closed.
        ws.send('{"type":"offer","call":"c","sdp":"' + "v" * 80000 + '"}')
        try:
            while True:
                reply = ws.recv()
                if "_close" in reply:
                    if reply["_close"] != 1009:
                        raise Failure(f"closed with {reply['_close']}, expected 1009")
                    break
        except (ConnectionResetError, BrokenPipeError):
            pass
        # The raw side is gone: alice hears "lost" and the server is still healthy.
        left = alice.expect("peer-left", timeout=10)
        if left["reason"] != "lost":
            raise Failure(f"alice: {left}")
        with urllib.request.urlopen(server.http + "/healthz", timeout=5) as r:
            if r.status != 200:
                raise Failure("server unhealthy after hostile input")


if __name__ == "__main__":
    run(test)
