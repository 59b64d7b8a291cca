"""A throwaway PulseAudio for tests: its own socket in a directory of its own, no
hardware, two null sinks and a microphone made from one of them.

- "TestSpeakers" (the default sink): what clients play; record it from
  speakers.monitor (record()).
- "TestMicrophone" (the default source): a source remapped from the mic_feed sink's
  monitor, so that what a test plays into mic_feed (play_tone()) is what a client's
  microphone hears.

Clients reach it through env() (PULSE_SERVER)."""
import math
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time

from harness import Failure

RATE = 48000
CONFIG = """
load-module module-native-protocol-unix socket={socket} auth-anonymous=1
load-module module-null-sink sink_name=speakers sink_properties=device.description=TestSpeakers
load-module module-null-sink sink_name=mic_feed sink_properties=device.description=MicFeed
load-module module-remap-source source_name=microphone master=mic_feed.monitor source_properties=device.description=TestMicrophone
set-default-sink speakers
set-default-source microphone
"""


class SoundServer:
    def __init__(self):
        if shutil.which("pulseaudio") is None or shutil.which("pacat") is None:
            raise Failure("pulseaudio and pulseaudio-utils are not installed")
        self.dir = tempfile.mkdtemp(prefix="showcast-pulse-")
        self.socket = os.path.join(self.dir, "native")
        self.players = []
        home = {"HOME": self.dir, "PULSE_RUNTIME_PATH": os.path.join(self.dir, "run"),
                "PULSE_STATE_PATH": os.path.join(self.dir, "state")}
        self.log = open(os.path.join(self.dir, "pulse.log"), "w")
        self.proc = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
             "--disable-shm=yes", "-F", "/dev/stdin"],
            stdin=subprocess.PIPE, stdout=self.log, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, **home})
        self.proc.stdin.write(CONFIG.format(socket=self.socket))
        self.proc.stdin.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            r = subprocess.run(["pactl", "info"], env={**os.environ, **self.env()},
                               capture_output=True, text=True)
            if r.returncode == 0 and "Default Source: microphone" in r.stdout:
                return
            time.sleep(0.1)
        raise Failure(f"pulseaudio did not start:\n{self.log_text()}")

    def env(self):
        return {"PULSE_SERVER": f"unix:{self.socket}"}

    def log_text(self):
        with open(os.path.join(self.dir, "pulse.log"), errors="replace") as f:
            return f.read()[-2000:]

    def play_tone(self, freq, seconds):
        """Plays a sine of FREQ Hz into the microphone's feed, in the background."""
        path = os.path.join(self.dir, f"tone-{freq}.raw")
        with open(path, "wb") as f:
            f.write(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / RATE)))
                             for i in range(int(RATE * seconds))))
        with open(path, "rb") as raw:
            self.players.append(subprocess.Popen(
                ["pacat", "--playback", "--raw", "--device=mic_feed", "--format=s16le",
                 f"--rate={RATE}", "--channels=1"], stdin=raw, env={**os.environ, **self.env()}))

    def record(self, seconds, timeout=30):
        """SECONDS of what the speakers play (16-bit mono samples at RATE), however long
        a busy machine takes to deliver them (up to TIMEOUT)."""
        rec = subprocess.Popen(["parec", "--raw", "--device=speakers.monitor", "--format=s16le",
                                f"--rate={RATE}", "--channels=1"], stdout=subprocess.PIPE,
                               env={**os.environ, **self.env()})
        want = int(seconds * RATE) * 2
        data = b""
        deadline = time.monotonic() + timeout
        try:
            while len(data) < want and time.monotonic() < deadline:
                ready, _, _ = select.select([rec.stdout], [], [], 0.5)
                if ready:
                    chunk = os.read(rec.stdout.fileno(), want - len(data))
                    if not chunk:
                        break
                    data += chunk
        finally:
            rec.kill()
            rec.wait()
        return samples(data)

    def stop(self):
        for p in self.players:
            p.kill()
            p.wait()
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=5)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def samples(data):
    n = len(data) // 2
    return struct.unpack(f"<{n}h", data[:2 * n])


def tone_power(values, freq, rate=RATE, block=4800):
    """The share of the signal's energy at FREQ (Goertzel), over blocks of 0.1 s (a
    10 Hz band: a sound server that slaves its clock plays a tone a fraction of a hertz
    off): about 1 for a pure tone of that frequency, about 0 for another tone. Blocks
    of near silence do not count; no sound at all gives 0."""
    k = 2 * math.cos(2 * math.pi * freq / rate)
    shares = []
    for start in range(0, len(values) - block + 1, block):
        part = values[start:start + block]
        energy = sum(x * x for x in part)
        if energy < block * 100 ** 2:   # quieter than about -50 dBFS
            continue
        s1 = s2 = 0.0
        for x in part:
            s1, s2 = x + k * s1 - s2, s1
        shares.append(2 * (s1 * s1 + s2 * s2 - k * s1 * s2) / (block * energy))
    return sum(shares) / len(shares) if shares else 0.0
