"""WebSocket frames (RFC 6455) over a plain socket, for tests that play one side of a
connection byte by byte: a hostile client (test_server_input.py,
test_server_frames.py) or a scripted server (fake_server.py). Python's standard library has no WebSocket code."""
import base64
import json
import os
import socket
import struct

from harness import Failure

CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0, 1, 2, 8, 9, 10


def frame(payload, opcode=TEXT, mask=False, fin=True, rsv=0):
    """One frame (final unless FIN is false; RSV the three reserved bits). Clients mask
    what they send; servers do not."""
    if isinstance(payload, str):
        payload = payload.encode()
    n = len(payload)
    flag = 0x80 if mask else 0
    first = (0x80 if fin else 0) | (rsv & 7) << 4 | opcode
    if n < 126:
        header = struct.pack("!BB", first, flag | n)
    elif n < 65536:
        header = struct.pack("!BBH", first, flag | 126, n)
    else:
        header = struct.pack("!BBQ", first, flag | 127, n)
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise Failure("the other side closed the connection")
        buf += chunk
    return buf


def read_frame(sock):
    """The next frame as (opcode, payload), unmasked."""
    b1, b2 = read_exact(sock, 2)
    n = b2 & 0x7F
    if n == 126:
        n = struct.unpack("!H", read_exact(sock, 2))[0]
    elif n == 127:
        n = struct.unpack("!Q", read_exact(sock, 8))[0]
    key = read_exact(sock, 4) if b2 & 0x80 else None
    payload = read_exact(sock, n)
    if key:
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return b1 & 0x0F, payload


class RawWebSocket:
    """Just enough of RFC 6455 to send hostile frames: Python's standard library has
    no WebSocket client, and the server must be hit with bytes no good client sends."""

    def __init__(self, host, port, path="/ws", headers="", source=None, rcvbuf=None):
        """SOURCE: the local address to connect from (another 127.x address is another
        client to the server's per-address cap); RCVBUF: a receive buffer this small."""
        self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self.sock.settimeout(5)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if source:
            self.sock.bind((source, 0))
        self.sock.connect((host, port))
        key = base64.b64encode(os.urandom(16)).decode()
        authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {authority}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           f"Sec-WebSocket-Version: 13\r\n{headers}\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise Failure(f"no WebSocket upgrade: {head[:80]!r}")
        self.head = head.decode("latin-1")

    def send(self, data, opcode=TEXT):
        self.sock.sendall(frame(data, opcode, mask=True))

    def recv(self):
        """The next message; pings are answered (as every WebSocket library does) and
        skipped."""
        while True:
            opcode, payload = read_frame(self.sock)
            if opcode == PING:
                self.send(payload, opcode=PONG)
                continue
            if opcode == CLOSE:
                return {"_close": struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None}
            return json.loads(payload)

    def recv_type(self, kind, limit=50):
        """Skips messages until one of type KIND."""
        for _ in range(limit):
            msg = self.recv()
            if msg.get("type") == kind or "_close" in msg:
                return msg
        raise Failure(f"no {kind} message")

    def close(self, code=1000):
        self.send(struct.pack("!H", code), opcode=CLOSE)
        self.sock.close()


def expect_close(ws, code, what):
    """The server's close frame with CODE, then the end of the socket. The server may
    close with our bytes unread, so a reset after its close frame counts as the end."""
    try:
        while True:
            opcode, payload = read_frame(ws.sock)
            if opcode == CLOSE:
                got = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                if got != code:
                    raise Failure(f"{what}: closed with {got}, expected {code}")
                break
            if opcode not in (TEXT, PING):
                raise Failure(f"{what}: frame {opcode} before the close")
    except Failure as e:
        if "closed the connection" in str(e):
            raise Failure(f"{what}: socket closed without a close frame") from e
        raise
    except ConnectionResetError:
        raise Failure(f"{what}: reset before a close frame")
    try:
        rest = ws.sock.recv(1)
    except ConnectionResetError:
        rest = b""
    except socket.timeout:
        raise Failure(f"{what}: the server kept the socket open after its close frame")
    if rest:
        raise Failure(f"{what}: more after the close frame: {rest!r}")
