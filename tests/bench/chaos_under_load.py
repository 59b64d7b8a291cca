"""The chaos tests on a busy machine (#22): e2e-chaos (one node, four connection threads)
and e2e-chaos-redis (two nodes on Redis), each RUNS times, with BUSY processes spinning
on the CPU beside them, as CI on a shared two-core machine may be.

    python3 tests/bench/chaos_under_load.py [--runs 10] [--busy 2] [--build build-asan]

Prints, for every run, the violations from the clients' view (showcast-loadgen's call
ledger) and from the servers' own invariant checks, and lobby -> matched p99; then
"N passed, N failed" per test. A run fails on any violation, as the tests do. With a
sanitizer build (the default: build-asan, as ./run test makes it) the servers are
leak-checked when they stop, as in CI."""
import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TESTS = {"chaos": "tests/e2e/test_chaos.py", "chaos-redis": "tests/e2e/test_chaos_redis.py"}


def spin():
    """A process that keeps one core busy until killed."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--busy", type=int, default=2, help="busy processes beside the tests")
    ap.add_argument("--build", default=os.path.join(ROOT, "build-asan"))
    ap.add_argument("--tests", default="chaos,chaos-redis")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    sanitize = "address,undefined" if "asan" in os.path.basename(build) else "none"
    env = {**os.environ, "SHOWCAST_BUILD": build, "SHOWCAST_SANITIZE": sanitize,
           "PYTHONDONTWRITEBYTECODE": "1",
           "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1",
           "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1"}
    busy = [spin() for _ in range(args.busy)]
    results = {name: [] for name in args.tests.split(",")}
    try:
        for run in range(1, args.runs + 1):
            for name in results:
                started = time.monotonic()
                out = subprocess.run([os.path.join(ROOT, "tests", "netns-run"), sys.executable,
                                      os.path.join(ROOT, TESTS[name])],
                                     capture_output=True, text=True, env=env, timeout=600)
                text = out.stdout + out.stderr
                clients = re.search(r"invariant violations \(clients' view\): (\d+)", text)
                servers = re.findall(r"'showcast_invariant_violations_total': ([\d.]+)", text)
                p99 = re.search(r"lobby to matched: p50 [\d.]+ ms, p99 ([\d.]+) ms", text)
                ok = out.returncode == 0
                results[name].append(ok)
                print(f"{name} run {run}: {'ok' if ok else 'FAILED'}; violations: clients' view "
                      f"{clients.group(1) if clients else '?'}, servers' view "
                      f"{'+'.join(str(int(float(v))) for v in servers) or '?'}; lobby->matched p99 "
                      f"{p99.group(1) + ' ms' if p99 else '?'}; {time.monotonic() - started:.0f} s",
                      flush=True)
                if not ok:
                    print("\n".join(text.splitlines()[-150:]), flush=True)
    finally:
        for p in busy:
            p.kill()
            p.wait()
    for name, oks in results.items():
        print(f"{name}: {sum(oks)} passed, {len(oks) - sum(oks)} failed")
    return 0 if all(all(oks) for oks in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
