"""A scripted stand-in for showcast-server, for tests that need the server to say things
in an exact order: messages lost with a dying socket, a resume that names a call the
client never heard of. It speaks just enough HTTP and RFC 6455 for a real client: the
WebSocket upgrade on /ws (with or without ?ticket=), frames both ways, pings answered,
and POST /session/ticket. What goes over each connection is up to the test."""
import base64
import hashlib
import json
import os
import queue
import socket
import threading

import ws_frames
from harness import Failure

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeConnection:
    """One client WebSocket. The test sends and receives JSON messages on it."""

    def __init__(self, sock, path):
        self.sock = sock
        self.path = path
        self.sock.settimeout(10)

    def send(self, message):
        self.sock.sendall(ws_frames.frame(json.dumps(message)))

    def recv(self):
        """The client's next message (a dict); pings are answered and skipped."""
        while True:
            opcode, payload = ws_frames.read_frame(self.sock)
            if opcode == ws_frames.PING:
                self.sock.sendall(ws_frames.frame(payload, ws_frames.PONG))
            elif opcode == ws_frames.CLOSE:
                return {"_close": True}
            elif opcode != ws_frames.PONG:
                return json.loads(payload)

    def recv_type(self, kind, limit=20):
        for _ in range(limit):
            message = self.recv()
            if message.get("type") == kind:
                return message
        raise Failure(f"the client sent no {kind}")

    def drop(self):
        """Gone without a close frame, as when a network dies: the client finds out
        from the TCP connection's end."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class FakeServer:
    def __init__(self, port=18095, host="127.0.0.1"):
        self.port = port
        self.url = f"ws://{host}:{port}"
        self.connections = queue.Queue()
        self.tickets = 0
        self.listener = socket.create_server((host, port))
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.running:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock):
        try:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = sock.recv(1)
                if not chunk:
                    return
                head += chunk
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {k.strip().lower(): v.strip()
                       for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            if method == "POST" and path == "/session/ticket":
                length = int(headers.get("content-length", "0"))
                if length:
                    sock.recv(length)
                self.tickets += 1
                body = json.dumps({"ticket": f"t{self.tickets}", "expires_in": 30}).encode()
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: " + str(len(body)).encode() +
                             b"\r\nConnection: close\r\n\r\n" + body)
                sock.close()
                return
            if method == "GET" and path.split("?")[0] == "/ws":
                accept = base64.b64encode(hashlib.sha1(
                    (headers["sec-websocket-key"] + GUID).encode()).digest()).decode()
                sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n")
                             .encode())
                self.connections.put(FakeConnection(sock, path))
                return
            sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            sock.close()
        except OSError:
            sock.close()

    def connection(self, timeout=15):
        """The next WebSocket a client opens."""
        try:
            return self.connections.get(timeout=timeout)
        except queue.Empty:
            raise Failure(f"no client connected within {timeout} s") from None

    @staticmethod
    def hello():
        return {"type": "hello", "version": 1,
                "nonce": base64.b64encode(os.urandom(32)).decode(), "guests": True}

    def stop(self):
        self.running = False
        self.listener.close()
