"""The shipped systemd unit and sample settings (dist/) are valid: systemd-analyze verify
accepts the unit (pointed at this build's binary), and showcast-server parses the sample
SHOWCAST_SERVER_ARGS together with what the unit adds."""
import os
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BUILD = os.environ["SHOWCAST_BUILD"]
SERVER = os.path.join(BUILD, "server", "showcast-server")


def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)


unit = open(os.path.join(ROOT, "dist", "showcast-server.service")).read()
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "showcast-server.service")
    with open(path, "w") as f:
        f.write(unit.replace("/usr/bin/showcast-server", SERVER))
    out = subprocess.run(["systemd-analyze", "verify", "--man=no", path],
                         capture_output=True, text=True)
    if out.returncode != 0 or out.stderr.strip():
        fail(f"systemd-analyze verify: {out.returncode} {out.stderr}")

args = None
for line in open(os.path.join(ROOT, "dist", "showcast-server.env")):
    if line.startswith("SHOWCAST_SERVER_ARGS="):
        args = shlex.split(line.split("=", 1)[1])
if not args:
    fail("no SHOWCAST_SERVER_ARGS in the sample")
with tempfile.NamedTemporaryFile() as secret:
    secret.write(os.urandom(32))
    secret.flush()
    cmd = [SERVER, "--session-secret-file", secret.name, *args, "--version"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"{cmd}: {out.returncode} {out.stderr}")
print("unit and sample settings ok")
