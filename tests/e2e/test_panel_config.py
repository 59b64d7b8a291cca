"""Configuration and terminal hygiene: $XDG_CONFIG_HOME/showcast/showcast.conf and
--config FILE are read ([showcast] settings, [keys] bindings); the command line wins
over the file; a bad file is refused with a clear message. SIGTERM, SIGINT and the
Ctrl-C key leave cleanly and a crash (SIGSEGV) still gives the terminal back; logs never
reach the screen."""
import os
import signal
import subprocess
import tempfile
import time

from harness import CLIENT_BIN, Failure, Scene, run
from panel import Panel


def test():
    home = tempfile.mkdtemp(prefix="showcast-config-")
    os.makedirs(os.path.join(home, "showcast"))
    with open(os.path.join(home, "showcast", "showcast.conf"), "w") as f:
        f.write("[showcast]\nname=FromDefaultFile\n\n[keys]\nC-n=\nC-k=next\n")
    explicit = os.path.join(home, "explicit.conf")
    with open(explicit, "w") as f:
        f.write("[showcast]\nname=FromExplicitFile\nvideo-sink=none\n")

    # A bad file: refused, with the file and the setting named.
    bad = os.path.join(home, "bad.conf")
    with open(bad, "w") as f:
        f.write("[showcast]\ncolour=blue\n")
    r = subprocess.run([CLIENT_BIN, "--headless", "--config", bad], capture_output=True, text=True,
                       stdin=subprocess.DEVNULL)
    if r.returncode != 2 or "colour" not in r.stderr or "bad.conf" not in r.stderr:
        raise Failure(f"bad config: exit {r.returncode}, {r.stderr!r}")
    r = subprocess.run([CLIENT_BIN, "--headless", "--config", os.path.join(home, "missing.conf")],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if r.returncode != 2 or "missing.conf" not in r.stderr:
        raise Failure(f"missing --config file: exit {r.returncode}, {r.stderr!r}")

    with Scene() as scene:
        server = scene.server()
        peer = scene.client(server, "peer")

        # The default file: its name, and its key bindings (C-k is next, C-n does nothing).
        panel = Panel(server, "ignored", env={"XDG_CONFIG_HOME": home}, extra=[])
        scene.procs.append(panel)
        # Panel passes --name; run a second panel without it below. Here: the file's
        # [keys] apply while the command line's --name wins over the file's.
        panel.wait_for(r"in call with peer")
        m = peer.has_seen_or_expect("matched")
        if m["peer"]["name"] != "ignored":
            raise Failure(f"the command line's --name did not win: {m['peer']}")
        panel.keys("C-n")
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            e = peer.next_event(0.1)
            if e and e["event"] == "peer-left":
                raise Failure("C-n still acted although the config file unbound it")
        panel.keys("C-k")
        left = peer.expect("peer-left", timeout=10)
        if left["reason"] != "next":
            raise Failure(f"C-k (bound in the file) gave {left}")
        peer.expect("matched", timeout=10)

        # Logs never reach the screen: the panel ran with -v, and the screen shows none.
        if "DEBUG" in panel.screen() or "INFO" in panel.screen():
            raise Failure("log lines on the screen")

        # SIGTERM: a clean leave, exit 0, terminal given back.
        os.kill(panel.client_pid(), signal.SIGTERM)
        left = peer.expect("peer-left", timeout=10)
        if left["reason"] != "left":
            raise Failure(f"SIGTERM gave the peer {left}")
        status = panel.wait_exit()
        if status != 0 or panel.info("#{alternate_on}") != "0":
            raise Failure(f"SIGTERM: exit {status}, alternate screen {panel.info('#{alternate_on}')}")
        panel.stop()

        # Ctrl-C (a key in the panel) and SIGINT from outside: the same clean leave.
        for how in ("Ctrl-C", "SIGINT"):
            p = Panel(server, f"quit-{how}", env={"XDG_CONFIG_HOME": home})
            scene.procs.append(p)
            p.wait_for(r"in call with peer")
            if how == "Ctrl-C":
                p.keys("C-c")
            else:
                os.kill(p.client_pid(), signal.SIGINT)
            left = peer.expect("peer-left", timeout=10)
            if left["reason"] != "left":
                raise Failure(f"{how} gave the peer {left}")
            status = p.wait_exit()
            if status != 0 or p.info("#{alternate_on}") != "0":
                raise Failure(f"{how}: exit {status}, alternate screen {p.info('#{alternate_on}')}")
            p.stop()

        # --config FILE, without --name on the command line: the file's name is used.
        cfg = Panel(server, "unused", env={"XDG_CONFIG_HOME": home}, no_name=True,
                    extra=["--config", explicit])
        scene.procs.append(cfg)
        m = peer.expect("matched", timeout=15)
        if m["peer"]["name"] != "FromExplicitFile":
            raise Failure(f"--config name not used: {m['peer']}")

        # A crash still gives the terminal back.
        cfg.wait_for(r"in call with peer")
        os.kill(cfg.client_pid(), signal.SIGSEGV)
        status = cfg.wait_exit()
        if status != 128 + signal.SIGSEGV:
            raise Failure(f"after SIGSEGV the exit status is {status}")
        if cfg.info("#{alternate_on}") != "0":
            raise Failure("after SIGSEGV the terminal is still on the alternate screen")
        left = peer.expect("peer-left", timeout=10)
        if left["reason"] != "lost":
            raise Failure(f"a crashed peer should be lost, got {left}")


run(test)
