"""WebSocket frames (RFC 6455) over a plain socket, for tests that play one side of a
connection byte by byte: a hostile client (test_server_input.py) or a scripted server
(fake_server.py). Python's standard library has no WebSocket code."""
import os
import struct

from harness import Failure

TEXT, CLOSE, PING, PONG = 1, 8, 9, 10


def frame(payload, opcode=TEXT, mask=False):
    """One final frame. Clients mask what they send; servers do not."""
    if isinstance(payload, str):
        payload = payload.encode()
    n = len(payload)
    flag = 0x80 if mask else 0
    if n < 126:
        header = struct.pack("!BB", 0x80 | opcode, flag | n)
    elif n < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, flag | 126, n)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, flag | 127, n)
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
