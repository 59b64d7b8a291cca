"""A terminal of the test's own: runs a program on a pty of a given size (in cells and
pixels), answers its terminal queries with given bytes once it has asked (DA1 is the
last question showcast asks), and keeps everything the program writes."""
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time


class PtyTerminal:
    """Runs the panel on a pty, answers its queries as told, and keeps what it writes."""

    def __init__(self, args, answer, cols=120, rows=36, cell=(8, 16)):
        self.answer = answer
        self.out = bytearray()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.environ.pop("COLORTERM", None)
            os.execv(args[0], args)
        self.resize(cols, rows, cell)
        self.answered = False

    def resize(self, cols, rows, cell):
        self.size = (cols, rows, cell)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ,
                    struct.pack("HHHH", rows, cols, cols * cell[0], rows * cell[1]))

    def pump(self, seconds):
        """Reads (and answers) for SECONDS. The output grows in a bytearray: a busy video
        stream is megabytes, and the reader must not be what slows the program."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if not r:
                continue
            try:
                data = os.read(self.fd, 1 << 20)
            except OSError:
                return
            tail = bytes(self.out[-2:])
            self.out += data
            if not self.answered and b"\x1b[c" in tail + data:
                self.answered = True
                if self.answer:
                    os.write(self.fd, self.answer)

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                self.pump(0.1)   # it may be writing its last screen
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    break
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)
