"""Hostile WebSocket and HTTP peers, the way the Autobahn TestSuite tests a server, from
a raw socket (#22). Two real users (headless clients in a real call) share the server
the whole time.

For each case, what RFC 6455 requires is asserted: a close frame with 1002 (protocol
error), 1007 (bad UTF-8) or 1009 (too big), then the end of the socket; or, for a
bad handshake, 400. Cases: reserved bits and opcodes; unmasked frames; 64-bit lengths
(top bit set, past the limit); fragmentation (a continuation without a start, control
frames between fragments, fragmented control frames, many tiny fragments past the size
limit, every split of a multi-byte UTF-8 character); control frames (ping payload over
125 bytes, unsolicited pongs, close codes 0, 999, 1004, 1005, 1006, 1015, 5000, a 1-byte
close payload, a close reason that is not UTF-8, and the codes a peer may send, echoed);
invalid UTF-8 (overlong forms, surrogates, past U+10FFFF, split over fragments); at the
HTTP upgrade: a missing or repeated Sec-WebSocket-Key, a wrong version (400 with
Sec-WebSocket-Version: 13), huge headers, request bodies (413 before the body is
read), a request dripped a byte at a time and idle connections (closed at
--http-timeout), more connections from one address than --max-connections-per-address
(503), an unfinished message kept open with pings and a frame dripped (1008 at
--message-timeout), a flood of undecodable messages (1008), and peers that never read
(dropped once 256 KiB wait for them; their partners hear "lost").

Afterwards: /healthz answers, the two real users are still in their call and chat, and
(outside the sanitizer builds, whose allocator keeps freed memory in quarantine) the
server's memory is back near where it was, and never grew far."""
import os
import socket
import struct
import threading
import time
import urllib.request
from ws_frames import (CLOSE, CONTINUATION, PING, PONG, TEXT, RawWebSocket, expect_close,
                       frame, read_frame)
from harness import Failure, Scene, leak_check_env, log, run, slowdown

PORT = 18083
HTTP_TIMEOUT_S = 2
MESSAGE_TIMEOUT_S = 2
PER_ADDRESS = 32
SIGN_IN = '{"type":"sign-in","version":1,"name":"%s"}'


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def connect(source="127.0.0.2", **kw):
    ws = RawWebSocket("127.0.0.1", PORT, source=source, **kw)
    hello = ws.recv()
    if hello.get("type") != "hello":
        raise Failure(f"no hello: {hello}")
    return ws


def raw_http(request, source="127.0.0.2", timeout=5):
    """Sends REQUEST (bytes) on a fresh connection; returns what came back until the
    server closed it or TIMEOUT passed."""
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(timeout)
    s.connect(("127.0.0.1", PORT))
    try:
        s.sendall(request)
    except (BrokenPipeError, ConnectionResetError):
        pass
    got = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return got


def status_of(reply):
    line = reply.split(b"\r\n", 1)[0]
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def closed_within(sock, seconds):
    """True if the server ends SOCK (EOF or reset) within SECONDS."""
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def upgrade_request(key_lines, version="13"):
    return ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + key_lines + (f"Sec-WebSocket-Version: {version}\r\n" if version else "")
            + "\r\n").encode()


def frame_cases():
    """(what, bytes, close code) of frames that break RFC 6455."""
    def raw_header(first, length_bytes):
        return bytes([first]) + length_bytes + os.urandom(4)
    cases = [(f"reserved bit {rsv}", frame(b"{}", TEXT, mask=True, rsv=rsv), 1002)
             for rsv in (1, 2, 4)]
    cases += [(f"opcode {op}", frame(b"x", op, mask=True), 1002)
              for op in (3, 4, 5, 6, 7, 11, 12, 13, 14, 15)]
    cases += [
        ("unmasked frame", frame(b'{"type":"leave"}', TEXT, mask=False), 1002),
        ("64-bit length with the top bit set",
         raw_header(0x81, bytes([0xFF]) + struct.pack("!Q", 1 << 63)), 1002),
        ("64-bit length past the limit", raw_header(0x81, bytes([0xFF]) + struct.pack("!Q", 1 << 32)),
         1009),
        ("16-bit length, then 64-bit past the limit in a continuation",
         frame(b"{", TEXT, mask=True, fin=False) +
         raw_header(0x80, bytes([0xFF]) + struct.pack("!Q", 200000)), 1009),
        ("continuation with nothing to continue", frame(b"x", CONTINUATION, mask=True), 1002),
        ("fragmented ping", frame(b"p", PING, mask=True, fin=False), 1002),
        ("fragmented close", frame(struct.pack("!H", 1000), CLOSE, mask=True, fin=False), 1002),
        ("a new message inside a fragmented one",
         frame(b"{", TEXT, mask=True, fin=False) + frame(b"{}", TEXT, mask=True), 1002),
        ("tiny fragments adding up past the limit",
         frame(b"[", TEXT, mask=True, fin=False) +
         b"".join(frame(b"1," * 50, CONTINUATION, mask=True, fin=False) for _ in range(800)), 1009),
        ("ping payload of 126 bytes", frame(b"p" * 126, PING, mask=True), 1002),
        ("close payload of 1 byte", frame(b"\x03", CLOSE, mask=True), 1002),
        ("close reason not UTF-8", frame(struct.pack("!H", 1000) + b"\xc3\x28", CLOSE, mask=True),
         1007),
    ]
    cases += [(f"close code {code}", frame(struct.pack("!H", code), CLOSE, mask=True), 1002)
              for code in (0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535)]
    bad_utf8 = {"overlong slash": b"\xc0\xaf", "overlong 3-byte": b"\xe0\x80\xaf",
                "surrogate D800": b"\xed\xa0\x80", "surrogate DFFF": b"\xed\xbf\xbf",
                "past U+10FFFF": b"\xf4\x90\x80\x80", "lone continuation": b"\x80",
                "truncated 3-byte": b"\xe2\x82"}
    for what, bad in bad_utf8.items():
        cases.append((f"text with {what}", frame(b'{"n":"' + bad + b'"}', TEXT, mask=True), 1007))
    cases.append(("bad UTF-8 in the second fragment",
                  frame(b'{"n":"ok', TEXT, mask=True, fin=False) +
                  frame(b"\xed\xa0\x80\"}", CONTINUATION, mask=True), 1007))
    return cases


def check_frames(slow):
    for what, data, code in frame_cases():
        ws = connect()
        ws.sock.settimeout(5 * slow)
        ws.sock.sendall(data)
        expect_close(ws, code, what)
        ws.sock.close()

    # Codes a peer may send are echoed.
    for code in (1000, 1001, 1003, 1007, 1011, 3000, 4999):
        ws = connect()
        ws.send(struct.pack("!H", code) + "bye ✓".encode(), opcode=CLOSE)
        expect_close(ws, code, f"close code {code}")

    # An unsolicited pong is ignored; a ping between fragments is answered.
    ws = connect()
    ws.send(b"unasked", opcode=PONG)
    msg = SIGN_IN % "pong"
    ws.sock.sendall(frame(msg[:7], TEXT, mask=True, fin=False) + frame(b"between", PING, mask=True) +
                    frame(msg[7:], CONTINUATION, mask=True))
    if read_frame(ws.sock) != (PONG, b"between"):
        raise Failure("ping between fragments not answered with its payload")
    if ws.recv_type("signed-in").get("name") != "pong":
        raise Failure("no sign-in after an unsolicited pong and a ping between fragments")
    ws.close(1000)

    # Every split of a multi-byte UTF-8 character over two fragments, and one over three.
    name = "é€😀"
    whole = (SIGN_IN % name).encode()
    start = whole.index(name.encode())
    splits = [[start + i] for i in range(1, len(name.encode())) if (name.encode()[i] & 0xC0) == 0x80]
    splits.append([start + 3, start + 7])   # inside € and inside 😀
    for cut in splits:
        pieces = [whole[a:b] for a, b in zip([0, *cut], [*cut, len(whole)])]
        data = b"".join(frame(p, TEXT if i == 0 else CONTINUATION, mask=True,
                              fin=i == len(pieces) - 1) for i, p in enumerate(pieces))
        ws = connect()
        ws.sock.sendall(data)
        got = ws.recv_type("signed-in").get("name")
        if got != name:
            raise Failure(f"split at {cut}: signed in as {got!r}")
        ws.close(1000)
    log(f"frames: {len(frame_cases())} protocol errors closed with their codes; "
        f"{len(splits)} UTF-8 splits joined")


def check_handshakes():
    cases = [
        ("missing Sec-WebSocket-Key", upgrade_request(""), 400),
        ("repeated Sec-WebSocket-Key", upgrade_request(
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEC==\r\n"),
         400),
        ("version 8", upgrade_request("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "8"), 400),
    ]
    for what, request, code in cases:
        reply = raw_http(request)
        if status_of(reply) != code:
            raise Failure(f"{what}: {reply[:80]!r}, expected {code}")
        if what == "version 8" and b"Sec-WebSocket-Version: 13" not in reply:
            raise Failure(f"a wrong version was answered without Sec-WebSocket-Version: 13: {reply!r}")

    # Huge headers: refused or closed, never upgraded.
    huge = upgrade_request("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-Pad: " + "a" * 200000 + "\r\n")
    reply = raw_http(huge)
    if status_of(reply) == 101:
        raise Failure("a request with 200 KB of headers was upgraded")

    # Bodies: refused before they are read, on every path.
    for path in ("/session/ticket", "/healthz", "/nowhere"):
        started = time.monotonic()
        reply = raw_http(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 268435456\r\n\r\n".encode()
                         + b"x" * 65536)
        if status_of(reply) != 413:
            raise Failure(f"a 256 MiB body on {path}: {reply[:80]!r}, expected 413")
        if time.monotonic() - started > 3 * slowdown():
            raise Failure(f"the 413 on {path} took {time.monotonic() - started:.1f} s")
    reply = raw_http(b"POST /session/ticket HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"10000\r\n" + b"x" * 4096)
    if status_of(reply) != 413:
        raise Failure(f"a chunked body: {reply[:80]!r}, expected 413")
    log("handshakes: missing and repeated keys and version 8 got 400, huge headers no upgrade, "
        "bodies 413")


def check_slow_and_idle(slow):
    limit = HTTP_TIMEOUT_S + 3 * slow
    # A request dripped a byte at a time, and connections that say nothing.
    dripped = socket.create_connection(("127.0.0.1", PORT), source_address=("127.0.0.5", 0))
    idle = [socket.create_connection(("127.0.0.1", PORT), source_address=("127.0.0.5", 0))
            for _ in range(20)]
    started = time.monotonic()
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    ended = False
    for byte in request:
        try:
            dripped.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            ended = True
            break
        if closed_within(dripped, 0.25):
            ended = True
            break
        if time.monotonic() - started > limit:
            break
    if not ended:
        raise Failure(f"a request dripped a byte at a time was still open after {limit} s")
    for s in idle:
        if not closed_within(s, max(0.1, limit - (time.monotonic() - started))):
            raise Failure(f"an idle connection was still open after {limit} s")
        s.close()
    dripped.close()

    # An unfinished message kept open with pings, and a frame dripped: 1008.
    ws = connect()
    ws.sock.sendall(frame(b'{"type":', TEXT, mask=True, fin=False))
    deadline = time.monotonic() + MESSAGE_TIMEOUT_S + 3 * slow
    ws.sock.settimeout(0.5)
    code = None
    while time.monotonic() < deadline and code is None:
        try:
            ws.sock.sendall(frame(b"alive", PING, mask=True))
            while True:
                opcode, payload = read_frame(ws.sock)
                if opcode == CLOSE:
                    code = struct.unpack("!H", payload[:2])[0]
                    break
        except socket.timeout:
            continue
        except (Failure, BrokenPipeError, ConnectionResetError):
            break
    if code != 1008:
        raise Failure(f"an unfinished message kept open with pings: closed with {code}, expected 1008")
    ws = connect()
    ws.sock.sendall(b"\x81\xfe")   # a 16-bit length that never comes
    ws.sock.settimeout(MESSAGE_TIMEOUT_S + 3 * slow)
    expect_close(ws, 1008, "a frame dripped")
    log("slow and idle: dripped request, idle connections and unfinished messages closed in time")


def check_per_address(slow):
    """More connections from one address than the cap: the rest get 503; others are
    served; after the deadline the address may connect again."""
    held = [socket.create_connection(("127.0.0.1", PORT), source_address=("127.0.0.3", 0))
            for _ in range(PER_ADDRESS)]
    time.sleep(0.2 * slow)
    refused = 0
    for _ in range(8):
        reply = raw_http(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", source="127.0.0.3")
        refused += status_of(reply) == 503
    if refused != 8:
        raise Failure(f"{refused} of 8 connections over the per-address cap got 503")
    ws = connect(source="127.0.0.6")   # another address is served meanwhile
    ws.close(1000)
    for s in held:
        if not closed_within(s, HTTP_TIMEOUT_S + 3 * slow):
            raise Failure("a held idle connection outlived --http-timeout")
        s.close()
    time.sleep(0.2)
    if status_of(raw_http(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                          source="127.0.0.3")) != 200:
        raise Failure("the address was not let in again once its connections had gone")
    log(f"per address: {PER_ADDRESS} held, 8 more refused with 503, another address served")


def check_floods(server, slow):
    # Undecodable messages: limited, then the connection is sent away (1008), and its
    # session ends with it (no grace period: it was sent away, not lost).
    expired_before = server.metric("showcast_grace_expired_total")
    ws = connect()
    ws.send(SIGN_IN % "flooder")
    if ws.recv_type("signed-in").get("type") != "signed-in":
        raise Failure("the flooder did not sign in")
    ws.sock.sendall(b"".join(frame(b"not json %d" % i, TEXT, mask=True) for i in range(100)))
    errors = 0
    ws.sock.settimeout(5 * slow)
    while True:
        opcode, payload = read_frame(ws.sock)
        if opcode == CLOSE:
            code = struct.unpack("!H", payload[:2])[0]
            break
        errors += opcode == TEXT
    if code != 1008 or errors > 25:
        raise Failure(f"100 undecodable messages: {errors} replies, closed with {code}")
    ws.sock.close()
    time.sleep(3 * slow)   # past the grace period (--grace 2)
    if server.metric("showcast_grace_expired_total") != expired_before:
        raise Failure("the flooder's session was kept for a grace period, as if lost")
    log(f"flood: 100 undecodable messages got {errors} replies, then 1008")


def check_non_readers(server, count, slow):
    """COUNT peers that never read, each matched with a sender of 60 KB offers: each is
    dropped, and its partner hears "lost"; the server's memory stays bounded."""
    pairs = []
    base = rss_kib(server.proc.pid)
    for i in range(count):
        mute = connect(source="127.0.0.4", rcvbuf=4096)
        mute.send(SIGN_IN % f"mute{i}")
        sender = connect(source="127.0.0.7")
        sender.send(SIGN_IN % f"sender{i}")
        m = sender.recv_type("matched")
        if m.get("type") != "matched" or m["peer"]["name"] != f"mute{i}":
            raise Failure(f"sender {i} was not matched with its mute peer: {m}")
        pairs.append((mute, sender, m["call"]))
    offer = '{"type":"offer","call":"%s","sdp":"' + "v" * 60000 + '"}'
    stop = threading.Event()
    lost = []

    def pump(sender, call):
        sender.sock.settimeout(0.05)
        while not stop.is_set():
            try:
                sender.send(offer % call)
                time.sleep(0.1)   # within the session's 10 messages a second
                while True:
                    opcode, payload = read_frame(sender.sock)
                    if opcode == TEXT and b'"peer-left"' in payload:
                        lost.append(payload)
                        return
            except socket.timeout:
                continue
            except (OSError, Failure):
                return
    threads = [threading.Thread(target=pump, args=(s, c), daemon=True) for _, s, c in pairs]
    for t in threads:
        t.start()
    peak = base
    deadline = time.monotonic() + 40 * slow
    while len(lost) < count and time.monotonic() < deadline:
        peak = max(peak, rss_kib(server.proc.pid))
        time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join()
    if len(lost) < count:
        raise Failure(f"only {len(lost)} of {count} partners of peers that never read heard they "
                      f"were gone")
    for mute, sender, _ in pairs:
        mute.sock.close()
        sender.sock.close()
    log(f"non-readers: {count} dropped, partners told; server RSS {base // 1024} MiB before, "
        f"peak {peak // 1024} MiB")
    return base, peak


def test():
    slow = slowdown()
    with Scene() as scene:
        server = scene.server(port=PORT, extra=[
            "--allow-guests", "--sign-in-limit", "0", "--grace", "2",
            "--http-timeout", str(HTTP_TIMEOUT_S), "--message-timeout", str(MESSAGE_TIMEOUT_S),
            "--max-connections-per-address", str(PER_ADDRESS)], env=leak_check_env())
        alice = scene.client(server, "alice")
        bob = scene.client(server, "bob")
        alice.expect("matched", timeout=15 * slow)
        bob.expect("matched", timeout=15 * slow)
        alice.expect("chat-open", timeout=20 * slow)
        bob.has_seen_or_expect("chat-open", timeout=20 * slow)
        time.sleep(1)
        start_rss = rss_kib(server.proc.pid)

        check_frames(slow)
        check_handshakes()
        check_slow_and_idle(slow)
        check_per_address(slow)
        check_floods(server, slow)
        base, peak = check_non_readers(server, 10, slow)

        with urllib.request.urlopen(server.http + "/healthz", timeout=5) as r:
            if r.status != 200:
                raise Failure(f"/healthz answered {r.status}")
        # The real users are still in their call, and talk.
        for c in (alice, bob):
            if any(e["event"] in ("peer-left", "call-failed") for e in c.seen):
                raise Failure(f"{c.name}'s call ended: {c.brief()}")
        alice.send({"cmd": "say", "text": "still here ✓"})
        chat = bob.expect("chat", timeout=10 * slow)
        if chat["text"] != "still here ✓":
            raise Failure(f"bob heard {chat}")

        time.sleep(1)
        end_rss = rss_kib(server.proc.pid)
        log(f"server RSS: {start_rss // 1024} MiB at the start, {peak // 1024} MiB at the peak, "
            f"{end_rss // 1024} MiB at the end")
        if slow == 1:
            if peak - base > 64 * 1024:
                raise Failure(f"peers that never read grew the server by {(peak - base) // 1024} MiB")
            if end_rss - start_rss > 16 * 1024:
                raise Failure(f"the server's memory did not come back: {start_rss} -> {end_rss} KiB")


if __name__ == "__main__":
    run(test)
