"""The documentation keeps up with the programs: every long option that --help lists is
in the program's man page and in README.md, and the man pages render without warnings.
README.md stays a user's page (at most 400 lines; the design is docs/design.md), and
every relative link in the Markdown files leads to a file that exists."""
import os
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BUILD = os.environ["SHOWCAST_BUILD"]
PROGRAMS = {"showcast": os.path.join(BUILD, "showcast"),
            "showcast-server": os.path.join(BUILD, "server", "showcast-server")}
failures = []
readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()

for name, binary in PROGRAMS.items():
    help_text = subprocess.run([binary, "--help"], capture_output=True, text=True,
                               env={**os.environ, "LANG": "C.UTF-8"}).stdout
    options = sorted(set(re.findall(r"^\s+(?:-\w, )?(--[a-z][a-z-]*)", help_text, re.M)) -
                     {"--help", "--help-all"})
    if len(options) < 3:
        failures.append(f"{name}: --help lists too few options: {options}")
    page_path = os.path.join(ROOT, "docs", f"{name}.1")
    page = open(page_path, encoding="utf-8").read().replace("\\-", "-")
    for option in options:
        if option not in page:
            failures.append(f"{name}: {option} is not in docs/{name}.1")
        if f"`{option}" not in readme:
            failures.append(f"{name}: {option} is not in README.md")
    r = subprocess.run(["groff", "-man", "-ww", "-z", "-Tutf8", page_path], capture_output=True, text=True)
    if r.returncode != 0 or r.stderr.strip():
        failures.append(f"docs/{name}.1 does not render cleanly: {r.stderr.strip()}")

lines = readme.count("\n")
if lines > 400:
    failures.append(f"README.md has {lines} lines: more than a user's page (400)")
for doc in ("README.md", "HACKING.md", "docs/design.md", "docs/performance.md", "docs/protocol.md"):
    text = open(os.path.join(ROOT, doc), encoding="utf-8").read()
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
        if not os.path.exists(os.path.join(ROOT, os.path.dirname(doc), target)):
            failures.append(f"{doc}: the link to {target} leads nowhere")

for f in failures:
    print("FAIL:", f, file=sys.stderr)
print(f"{len(failures)} documentation problems")
sys.exit(1 if failures else 0)
