"""Translations: under LANG=de_DE.UTF-8 the panel (and --help) is German, under
es_ES.UTF-8 Spanish, with the strings from po/de.po and po/es.po."""
import os
import subprocess

from harness import BUILD, CLIENT_BIN, Failure, Scene, run
from panel import Panel

LOCALEDIR = os.path.join(BUILD, "po")


def check_panel(scene, server, lang, expected):
    # The peer speaks the reader's language: they meet at once (#27).
    peer = scene.client(server, f"peer-{lang[:2]}", extra=["--language", lang[:2]])
    panel = Panel(server, f"Leser-{lang[:2]}", env={"LANG": lang, "SHOWCAST_LOCALEDIR": LOCALEDIR})
    scene.procs.append(panel)
    for text in expected:
        panel.wait_for(text)
    panel.keys("C-q")
    peer.expect("peer-left", timeout=10)
    peer.stop()
    panel.stop()


def test():
    for lang in ("de_DE.UTF-8", "es_ES.UTF-8"):
        have = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
        if lang.lower().replace("utf-8", "utf8") not in have:
            raise Failure(f"locale {lang} is not installed (./run test generates it)")

    env = {**os.environ, "LANG": "de_DE.UTF-8", "LC_ALL": "", "SHOWCAST_LOCALEDIR": LOCALEDIR}
    out = subprocess.run([CLIENT_BIN, "--help"], capture_output=True, text=True, env=env).stdout
    if "zufälliger Videochat im Terminal" not in out or "Strg-N" not in out:
        raise Failure(f"--help is not German:\n{out[:600]}")

    with Scene() as scene:
        server = scene.server()
        check_panel(scene, server, "de_DE.UTF-8",
                    [r"im Gespräch mit peer-de", r"Sie sprechen jetzt mit peer-de",
                     r"C-n weiter", r"Mikro an │ Kamera an"])
        check_panel(scene, server, "es_ES.UTF-8",
                    [r"en llamada con peer-es", r"Ahora habla con peer-es", r"C-n siguiente"])


run(test)
