"""The server's WebSocket framing (RFC 6455; server/sc-websocket.c, sc-ws-frames.c),
hit with frames no good client sends, over real sockets:

- fragments (with a ping between them) make one message; pings get their payload back;
- sixteen messages in one TCP segment get sixteen answers, in order;
- each way of breaking the protocol gets a close frame with its code (1002, 1007,
  1009), then the socket closes;
- a client's close is answered with the same code, then the socket closes;
- a handshake offering permessage-deflate is answered without it; a plain GET on the
  WebSocket path gets 400;
- after all that the server still signs in and matches a real client."""
import struct
import urllib.error
import urllib.request
from ws_frames import (BINARY, CLOSE, CONTINUATION, PING, PONG, TEXT, RawWebSocket,
                       expect_close, frame, read_frame)
from harness import Failure, Scene, leak_check_env, run

PORT = 18082
SIGN_IN = '{"type":"sign-in","version":1,"name":"frames"}'


def connect():
    ws = RawWebSocket("127.0.0.1", PORT)
    hello = ws.recv()
    if hello.get("type") != "hello":
        raise Failure(f"no hello: {hello}")
    return ws


def test():
    with Scene() as scene:
        server = scene.server(port=PORT, extra=["--allow-guests"],
                              env=leak_check_env())   # checked when it stops

        # A message in three fragments, a ping between the second and third.
        ws = connect()
        part = [SIGN_IN[:10], SIGN_IN[10:30], SIGN_IN[30:]]
        ws.sock.sendall(frame(part[0], TEXT, mask=True, fin=False) +
                        frame(part[1], CONTINUATION, mask=True, fin=False) +
                        frame(b"between", PING, mask=True) +
                        frame(part[2], CONTINUATION, mask=True))
        opcode, payload = read_frame(ws.sock)
        if (opcode, payload) != (PONG, b"between"):
            raise Failure(f"ping between fragments: got {opcode} {payload!r}")
        signed = ws.recv()
        if signed.get("type") != "signed-in" or signed.get("name") != "frames":
            raise Failure(f"fragmented sign-in: {signed}")
        if ws.recv().get("type") != "waiting":
            raise Failure("no waiting after the fragmented sign-in")

        # Sixteen messages in one segment: sixteen answers, in order. (Within the
        # session's burst of 20 messages, which undecodable ones count against too.)
        ws.sock.sendall(b"".join(frame('{"type":"teleport","n":%d}' % i, TEXT, mask=True)
                                 for i in range(16)))
        for i in range(16):
            reply = ws.recv()
            if reply.get("code") != "unknown-type":
                raise Failure(f"answer {i} of 16: {reply}")
        ws.close(1000)

        # Issue #22's 12 bytes, without signing in: a text message of two empty
        # fragments (once a NULL payload that crashed the server), then Autobahn's case
        # 6.1.2 (three). Each is an empty message: "bad-json", and the socket stays open.
        for raw in (bytes.fromhex("018037fa213d808037fa213d"),
                    frame(b"", TEXT, mask=True, fin=False) +
                    frame(b"", CONTINUATION, mask=True, fin=False) +
                    frame(b"", CONTINUATION, mask=True)):
            ws = connect()
            ws.sock.sendall(raw)
            reply = ws.recv()
            if reply.get("code") != "bad-json":
                raise Failure(f"empty fragments {raw[:6].hex()}…: {reply}")
            ws.send(SIGN_IN)
            if ws.recv_type("signed-in").get("type") != "signed-in":
                raise Failure("no sign-in after an empty fragmented message")
            ws.close(1000)

        # A client's close: answered with its code, then the socket closes.
        ws = connect()
        ws.send(struct.pack("!H", 1000) + b"bye", opcode=CLOSE)
        expect_close(ws, 1000, "client close")

        # Breaking the protocol, one fresh socket each.
        unmasked = frame('{"type":"next"}', TEXT, mask=False)
        cases = [
            ("unmasked frame", unmasked, 1002),
            ("bad UTF-8 in a text frame", frame(b'{"type":"\xff\xfe"}', TEXT, mask=True), 1007),
            ("unknown opcode", frame(b"x", 3, mask=True), 1002),
            ("reserved bit", frame(SIGN_IN, TEXT, mask=True, rsv=4), 1002),
            ("ping over 125 bytes", frame(b"p" * 126, PING, mask=True), 1002),
            ("fragmented ping", frame(b"p", PING, mask=True, fin=False), 1002),
            ("new message inside a fragmented one",
             frame(b"{", TEXT, mask=True, fin=False) + frame(b"{}", TEXT, mask=True), 1002),
            ("close frame of one byte", frame(b"\x03", CLOSE, mask=True), 1002),
            ("close reason not UTF-8", frame(struct.pack("!H", 1000) + b"\xc3", CLOSE, mask=True),
             1007),
            ("continuation with nothing to continue", frame(b"x", CONTINUATION, mask=True), 1002),
            ("close code 1005 on the wire", frame(struct.pack("!H", 1005), CLOSE, mask=True), 1002),
            ("message over the cap in small fragments",
             b"".join(frame(b"v" * 30000, TEXT if i == 0 else CONTINUATION, mask=True, fin=False)
                      for i in range(3)), 1009),
        ]
        for what, data, code in cases:
            ws = connect()
            ws.sock.sendall(data)
            expect_close(ws, code, what)
            ws.sock.close()

        # A binary frame is a message, not a protocol error: an error back, still open.
        ws = connect()
        ws.send(b"\x01\x02", opcode=BINARY)
        if ws.recv().get("code") != "bad-message":
            raise Failure("binary frame not answered with bad-message")
        ws.close(1000)

        # No extensions: permessage-deflate offered, not taken.
        ws = RawWebSocket("127.0.0.1", PORT,
                          headers="Sec-WebSocket-Extensions: permessage-deflate\r\n")
        if "sec-websocket-extensions" in ws.head.lower():
            raise Failure(f"an extension was accepted: {ws.head!r}")
        if ws.recv().get("type") != "hello":
            raise Failure("no hello after a handshake offering deflate")
        ws.close(1000)
        try:
            urllib.request.urlopen(server.http + "/ws", timeout=5)
            raise Failure("a plain GET on /ws was answered 2xx")
        except urllib.error.HTTPError as e:
            if e.code != 400:
                raise Failure(f"a plain GET on /ws: {e.code}, expected 400")

        # Still serving: two real clients meet.
        alice = scene.client(server, "alice")
        bob = scene.client(server, "bob")
        m = alice.expect("matched", timeout=10)
        if m["peer"]["name"] != "bob":
            raise Failure(f"alice met {m['peer']}")
        bob.expect("matched", timeout=10)


if __name__ == "__main__":
    run(test)
