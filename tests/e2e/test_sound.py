"""Audio through a real sound server (issue #25, point 1): a PulseAudio started by the
test (sound_server.py) with null devices, and a client on it with the default choices
("auto"):

- its microphone is the server's default source: a 660 Hz tone played into it reaches
  the peer (recorded from the peer's audio sink, frequency checked);
- it plays through the server's default sink: the peer's 440 Hz test tone is what that
  sink's monitor records;
- `--list-devices` names the server's microphone and speakers.
"""
import os
import subprocess
import tempfile
import time

from harness import CLIENT_BIN, Failure, Scene, run, slowdown
from sound_server import RATE, SoundServer, samples, tone_power


def test():
    sound = SoundServer()
    try:
        env = sound.env()
        listed = subprocess.run([CLIENT_BIN, "--list-devices"], env={**os.environ, **env},
                                capture_output=True, text=True, timeout=30).stdout
        for line in ("device:TestMicrophone  (default)", "device:TestSpeakers  (default)"):
            if line not in listed:
                raise Failure(f"--list-devices lacks {line!r}:\n{listed}")
        if "MicFeed.monitor" in listed or "Monitor of" in listed.split("Speakers")[0]:
            raise Failure(f"a monitor listed as a microphone:\n{listed}")

        # The tone the "person" says into the microphone, for the whole test.
        sound.play_tone(660, 60)

        heard = os.path.join(tempfile.mkdtemp(prefix="showcast-heard-"), "peer.raw")
        with Scene() as scene:
            server = scene.server()
            peer = scene.client(server, "peer", extra=[
                "--audio-sink", "audioconvert ! audioresample ! "
                f"audio/x-raw,format=S16LE,rate={RATE},channels=1 ! "
                f"filesink location={heard} sync=false async=false"])
            peer.expect("waiting")
            user = scene.client(server, "user", audio="auto", env=env,
                                extra=["--audio-sink", "auto"])
            user.send({"cmd": "status"})
            st = user.expect("status")
            if st["audio_source"] != "device:TestMicrophone":
                raise Failure(f"auto took {st['audio_source']} for the microphone")
            for c in (peer, user):
                c.expect("first-audio", timeout=20)
            time.sleep(1.5 * slowdown())   # past the first packets' fade-in

            # The peer's tone from the user's speakers.
            played = sound.record(2)
            if len(played) < RATE:
                raise Failure(f"the speakers' monitor gave {len(played)} samples")
            at440, at660 = tone_power(played, 440), tone_power(played, 660)
            print(f"speakers: {len(played)} samples, 440 Hz {at440:.2f}, 660 Hz {at660:.2f}")
            if at440 < 0.5 or at660 > 0.05:
                raise Failure(f"the speakers did not play the peer's 440 Hz tone: "
                              f"{at440:.2f} at 440 Hz, {at660:.2f} at 660 Hz")

            # The microphone's tone at the peer.
            with open(heard, "rb") as f:
                got = samples(f.read())[-2 * RATE:]
            at440, at660 = tone_power(got, 440), tone_power(got, 660)
            print(f"peer heard: {len(got)} samples, 660 Hz {at660:.2f}, 440 Hz {at440:.2f}")
            if len(got) < RATE or at660 < 0.5 or at440 > 0.05:
                raise Failure(f"the peer did not hear the microphone's 660 Hz tone: "
                              f"{at660:.2f} at 660 Hz, {at440:.2f} at 440 Hz")
    finally:
        sound.stop()


run(test)
