"""The user's own devices (issue #25, point 1), with a GStreamer device provider of the
tests' own (tests/gst/fake-devices.c, through GST_PLUGIN_PATH) that has a camera showing
SMPTE colour bars and a microphone playing 660 Hz:

- `showcast --list-devices` lists them by the names the options take;
- with the default sources ("auto") a client sends that camera and that microphone:
  its peer receives the colour bars (a frame read back from the peer's own video sink)
  and audio, and the client's status names both devices;
- with no devices at all, "auto" sends a card with the user's name and "no camera"
  (dark, with light text in the middle) and no audio, and the panel's status bar says
  "no mic" and "no camera";
- a device:NAME that is not there is an error at start, naming it."""
import glob
import os
import subprocess
import tempfile
import time

from harness import BUILD, CLIENT_BIN, Failure, Scene, run, slowdown
from panel import Panel

PLUGINS = {"GST_PLUGIN_PATH": os.path.join(BUILD, "tests")}
# No sound server and no provider of ours: a machine with no devices at all.
NOTHING = {"GST_PLUGIN_PATH": "", "PULSE_SERVER": "unix:/nonexistent"}
W, H = 160, 120


def snapshot_sink(directory):
    """A --video-sink that keeps the peer's latest pictures as raw RGB files."""
    return ("queue max-size-buffers=2 leaky=downstream ! videoconvert ! videoscale ! "
            f"video/x-raw,format=RGB,width={W},height={H} ! "
            f"multifilesink location={directory}/f-%05d.rgb max-files=4 async=false")


def latest_picture(directory, timeout=15):
    """The newest complete picture the sink wrote: (width*height) RGB tuples."""
    deadline = time.monotonic() + timeout * slowdown()
    while time.monotonic() < deadline:
        files = sorted(glob.glob(os.path.join(directory, "f-*.rgb")))
        if len(files) >= 2:
            with open(files[-2], "rb") as f:   # the last may be half written
                data = f.read()
            if len(data) == W * H * 3:
                return [tuple(data[i:i + 3]) for i in range(0, len(data), 3)]
        time.sleep(0.1)
    raise Failure(f"no picture in {directory}")


def pixel(picture, x, y):
    return picture[y * W + x]


def clean(env):
    return {**os.environ, **env}


def test():
    # 1. The list.
    out = subprocess.run([CLIENT_BIN, "--list-devices"], env=clean(PLUGINS), capture_output=True,
                         text=True, timeout=30 * slowdown())
    for line in ("device:Showcast Test Camera", "device:Showcast Test Microphone"):
        if line not in out.stdout:
            raise Failure(f"--list-devices lacks {line!r}:\n{out.stdout}")
    print(out.stdout.strip())

    # 2. A device that is not there.
    out = subprocess.run([CLIENT_BIN, "--headless", "--video-source", "device:Nope"],
                         env=clean(PLUGINS), capture_output=True, text=True, timeout=30)
    if out.returncode != 2 or "Nope" not in out.stderr or "--list-devices" not in out.stderr:
        raise Failure(f"device:Nope: exit {out.returncode}, {out.stderr!r}")

    with Scene() as scene:
        server = scene.server()

        # 3. auto: the provider's camera and microphone.
        seen = tempfile.mkdtemp(prefix="showcast-frames-")
        viewer = scene.client(server, "viewer", extra=["--video-sink", snapshot_sink(seen)])
        viewer.expect("waiting")
        user = scene.client(server, "user", video="auto", audio="auto", env=PLUGINS)
        user.send({"cmd": "status"})
        st = user.expect("status")
        if st["video_source"] != "device:Showcast Test Camera" or \
                st["audio_source"] != "device:Showcast Test Microphone":
            raise Failure(f"auto chose {st['video_source']}, {st['audio_source']}")
        first = viewer.expect("first-frame", timeout=20)
        if (first["width"], first["height"]) != (640, 480):
            raise Failure(f"the camera came as {first}")
        # The sound may come before the picture: expect() above skips past it.
        viewer.has_seen_or_expect("first-audio", timeout=20)
        picture = latest_picture(seen)
        # SMPTE bars: the second of seven across the top is yellow, the sixth red.
        yellow, red = pixel(picture, W * 3 // 14, H // 4), pixel(picture, W * 11 // 14, H // 4)
        if not (yellow[0] > 140 and yellow[1] > 140 and yellow[2] < 90):
            raise Failure(f"no yellow bar where the camera's is: {yellow}")
        if not (red[0] > 140 and red[1] < 90 and red[2] < 90):
            raise Failure(f"no red bar where the camera's is: {red}")
        print(f"camera's bars seen by the peer: yellow {yellow}, red {red}")
        user.send({"cmd": "quit"})
        user.expect("bye", timeout=15)
        viewer.expect("peer-left", timeout=10)

        # 4. No devices: the card, and no audio.
        nobody = scene.client(server, "Ada Lovelace", video="auto", audio="auto", env=NOTHING)
        nobody.send({"cmd": "status"})
        st = nobody.expect("status")
        if st["video_source"] != "card" or st["audio_source"] != "none":
            raise Failure(f"with no devices auto chose {st['video_source']}, "
                          f"{st['audio_source']}")
        viewer.expect("matched", timeout=15)
        since_match = len(viewer.seen)
        first = viewer.expect("first-frame", timeout=20)
        if (first["width"], first["height"]) != (640, 480):
            raise Failure(f"the card came as {first}")
        time.sleep(1)   # pictures of this call, not the last one's; audio, were there any
        while viewer.next_event(0.05) is not None:
            pass
        picture = latest_picture(seen)
        corner = pixel(picture, 4, 4)
        if max(corner) > 90:
            raise Failure(f"the card is not dark: {corner}")
        middle = [pixel(picture, x, y) for x in range(W // 4, W * 3 // 4)
                  for y in range(H // 3, H * 2 // 3)]
        light = sum(1 for p in middle if min(p) > 170)
        if light < 20:
            raise Failure(f"no text on the card ({light} light pixels in the middle)")
        print(f"card: corner {corner}, {light} light pixels of text in the middle")
        if any(e["event"] == "first-audio" for e in viewer.seen[since_match:]):
            raise Failure("audio came from a client without a microphone")
        nobody.stop()
        viewer.expect("peer-left", timeout=10)

        # 5. The panel says so.
        panel = Panel(server, "Tester", video="auto", env=NOTHING)
        scene.procs.append(panel)
        panel.wait_for(r"no mic │ no camera")
        print("panel: 'no mic │ no camera'")


run(test)
