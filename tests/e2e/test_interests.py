"""Interests and language (#27), with real clients (headless, and one panel in tmux):

- Four users "chess, cats, chess, cats" (the last from its config file, interests=),
  arriving one after another (each waiting before
  the next comes), are paired by interest: the chess pair and the cats pair, `matched`
  naming what they share — on one node, and on two nodes sharing Redis (users of both
  nodes in each pair).
- The panel says "You both like: chess".
- A user whose interest nobody shares meets someone once --interest-wait has passed,
  and not before; /metrics counts that match as a fallback, the others by interest.
- Two users who give no interest but speak the same language (one from its locale,
  LANG=de_DE.UTF-8, the other with --language DE) meet at once, counted by language; /interests in a panel, and {"cmd":"interests"}, change what
  counts from the next match.
- Interest lists that are too long, too many or not text get an error, never a crash:
  on the command line, headless, in the panel, and in raw sign-ins to the server.

The clients run with LANG=C.UTF-8 (no language) unless a test gives --language."""
import json
import os
import re
import tempfile
import time
import urllib.request

from harness import CLIENT_BIN, Failure, Scene, run, slowdown
from panel import Panel
from redis_server import RedisServer
from ws_frames import RawWebSocket

ENV = {"LANG": "C.UTF-8", "LC_ALL": "", "LANGUAGE": ""}


def arrive(scene, server, name, interests, slow, extra=(), env=ENV):
    client = scene.client(server, name, env=env,
                          extra=[*(["--interests", ",".join(interests)] if interests else []),
                                 *extra])
    client.expect("waiting", timeout=15 * slow)
    return client


def reasons(server):
    with urllib.request.urlopen(server.http + "/metrics", timeout=5) as r:
        text = r.read().decode()
    return {m.group(1): int(m.group(2)) for m in re.finditer(
        r'^showcast_matches_by_reason_total\{node="[^"]*",reason="(\w+)"\} (\d+)$', text, re.M)}


def four_by_interest(scene, nodes, slow):
    """a, c (chess) and b, d (cats); with two NODES a and b on the first, c and d on the
    second, so each pair crosses nodes (common travels in the nodes' paired event); d's
    interests from its config file."""
    people = {}
    config = os.path.join(tempfile.mkdtemp(prefix="showcast-conf-"), "showcast.conf")
    with open(config, "w") as f:
        f.write("[showcast]\ninterests=CATS \n")
    for i, (name, interest) in enumerate((("a", "chess"), ("b", "cats"), ("c", "Chess"),
                                         ("d", None))):
        people[name] = arrive(scene, nodes[i // 2 % len(nodes)], name,
                              [interest] if interest else [],
                              slow, extra=[] if interest else ["--config", config])
        if name == "b":
            time.sleep(0.3 * slow)   # a and b share nothing: still waiting, both
            for p in (people["a"], people["b"]):
                if any(e["event"] == "matched" for e in p.seen) or \
                        p.next_event(0.1) is not None and p.seen[-1]["event"] == "matched":
                    raise Failure(f"{p.name} was matched with someone who shares nothing")
    for name, partner, interest in (("a", "c", "chess"), ("c", "a", "chess"),
                                    ("b", "d", "cats"), ("d", "b", "cats")):
        m = people[name].expect("matched", timeout=15 * slow)
        if m["peer"]["name"] != partner or m["common"] != [interest]:
            raise Failure(f"{name} met {m['peer']['name']} sharing {m['common']}")
    for p in people.values():
        p.stop()


def test_one_node(scene, slow):
    server = scene.server(extra=["--interest-wait", "30", "--check-invariants"])
    four_by_interest(scene, [server], slow)
    got = reasons(server)
    if got.get("interest") != 2:
        raise Failure(f"matches by reason: {got}")
    return server


def test_fallback(scene, slow):
    wait = 3
    server = scene.server(port=18082, extra=["--interest-wait", str(wait)])
    lonely = arrive(scene, server, "lonely", ["knitting"], slow)
    since = time.monotonic()
    anyone = arrive(scene, server, "anyone", [], slow)
    m = lonely.expect("matched", timeout=(wait + 15) * slow)
    took = time.monotonic() - since
    if m["peer"]["name"] != "anyone" or m["common"] != []:
        raise Failure(f"lonely met {m}")
    if took < wait - 0.5:
        raise Failure(f"lonely met someone after {took:.1f} s, before the {wait} s wait")
    print(f"a lonely interest met someone after {took:.1f} s (--interest-wait {wait})")
    for p in (lonely, anyone):
        p.stop()

    # The same language, no interests: at once, by language; one's from the locale.
    de1 = arrive(scene, server, "de1", [], slow, env={"LANG": "de_DE.UTF-8", "LC_ALL": "",
                                                      "LANGUAGE": ""})
    de2 = scene.client(server, "de2", env=ENV, extra=["--language", "DE"])
    de1.expect("matched", timeout=15 * slow)
    # Met by language (not a fallback after the wait: /metrics says which, below).
    for p in (de1, de2):
        p.stop()
    got = reasons(server)
    if got.get("fallback") != 1 or got.get("language") != 1:
        raise Failure(f"matches by reason: {got}")

    # Headless: a new list counts from the next match.
    x = arrive(scene, server, "x", ["opera"], slow)
    y = arrive(scene, server, "y", ["chess"], slow)
    y.send({"cmd": "interests", "list": ["Opera", "chess"]})
    listed = y.expect("interests", timeout=5 * slow)
    if listed["list"] != ["opera", "chess"]:
        raise Failure(f"interests normalised as {listed}")
    m = x.expect("matched", timeout=10 * slow)
    if m["peer"]["name"] != "y" or m["common"] != ["opera"]:
        raise Failure(f"x met {m}")
    y.send({"cmd": "status"})
    st = y.expect("status", timeout=5 * slow)
    if st["interests"] != ["opera", "chess"] or "language" in st:
        raise Failure(f"y's status: {st}")

    # Bad lists, headless: an error each, and the client goes on.
    for bad in ([1], ["a" * 25], [f"t{i}" for i in range(9)], {"a": 1}, [""], ["\u202e"]):
        x.send({"cmd": "interests", "list": bad})
        err = x.expect("error", timeout=5 * slow)
        if err["code"] not in ("bad-interests", "bad-command"):
            raise Failure(f"interests {bad!r}: {err}")
    x.send({"cmd": "status"})
    x.expect("status", timeout=5 * slow)
    for p in (x, y):
        p.stop()
    return server


def test_raw_sign_ins(server, slow):
    """What a hostile client sends the server: an error, and the server lives."""
    cases = [
        ({"interests": [f"t{i}" for i in range(9)]}, "bad-interests"),
        ({"interests": ["x" * 25]}, "bad-interests"),
        ({"interests": ["ok", "\u0007bell"]}, "bad-interests"),
        ({"interests": [1, 2]}, "bad-message"),
        ({"interests": "chess"}, "bad-message"),
        ({"interests": ["x"] * 40}, "bad-message"),
        ({"interests": ["x" * 300]}, "bad-message"),
        ({"language": "german"}, "bad-language"),
        ({"language": 7}, "bad-message"),
    ]
    for extra, code in cases:
        raw = RawWebSocket("127.0.0.1", server.port)
        raw.recv_type("hello")
        raw.send(json.dumps({"type": "sign-in", "version": 1, "name": "raw", **extra}).encode())
        reply = raw.recv()
        if reply.get("type") != "error" or reply.get("code") != code:
            raise Failure(f"sign-in with {extra}: {reply}")
        raw.close()
    raw = RawWebSocket("127.0.0.1", server.port)
    raw.recv_type("hello")
    raw.send(json.dumps({"type": "sign-in", "version": 1, "name": "raw"}).encode())
    if raw.recv_type("signed-in").get("type") != "signed-in":
        raise Failure("a plain sign-in after the bad ones failed")
    raw.send(json.dumps({"type": "interests", "list": [["nested"]]}).encode())
    if raw.recv_type("error").get("code") != "bad-message":
        raise Failure("a nested interests list was not refused")
    raw.close()


def test_command_line(slow):
    import subprocess
    for bad, option in (("a,b,c,d,e,f,g,h,i", "--interests"), ("x" * 25, "--interests"),
                        ("german", "--language")):
        out = subprocess.run([CLIENT_BIN, "--headless", option, bad, "--server",
                              "ws://127.0.0.1:9"], capture_output=True, text=True,
                             timeout=30 * slow, env={**os.environ, **ENV})
        if out.returncode != 2 or option not in out.stderr:
            raise Failure(f"{option} {bad}: exit {out.returncode}: {out.stderr}")


def test_panel(scene, server, slow):
    panel = Panel(server, "painter", extra=["--interests", "chess,cats"], env=ENV)
    scene.procs.append(panel)
    panel.wait_for(r"waiting", timeout=15 * slow)
    peer = arrive(scene, server, "knight", ["chess"], slow)
    panel.wait_for(r"You both like: chess", timeout=15 * slow)
    peer.expect("matched", timeout=10 * slow)
    # /interests from the panel: confirmed there, and counted from the next match.
    panel.type("/interests jazz\n")
    panel.wait_for(r"Your interests, from the next match: jazz", timeout=10 * slow)
    panel.type("/interests " + ",".join(f"t{i}" for i in range(9)) + "\n")
    panel.wait_for(r"At most 8 interests", timeout=10 * slow)
    panel.keys("C-q")
    peer.expect("peer-left", timeout=10 * slow)
    peer.stop()
    panel.stop()


def test_two_nodes(scene, slow):
    redis = RedisServer()
    scene.procs.append(redis)
    nodes = [scene.server(port=port, extra=["--redis", redis.url, "--node-name", f"node-{i}",
                                            "--interest-wait", "30"])
             for i, port in enumerate((18083, 18084), start=1)]
    four_by_interest(scene, nodes, slow)
    total = {}
    for node in nodes:
        for k, v in reasons(node).items():
            total[k] = total.get(k, 0) + v
    if total.get("interest") != 2:
        raise Failure(f"two nodes: matches by reason {total}")


def test():
    slow = slowdown()
    test_command_line(slow)
    with Scene() as scene:
        one = test_one_node(scene, slow)
        # Many sign-ins from one address: a server of their own, without that limit.
        test_raw_sign_ins(scene.server(port=18085, extra=["--allow-guests", "--sign-in-limit",
                                                          "0"]), slow)
        test_panel(scene, one, slow)
        test_fallback(scene, slow)
        test_two_nodes(scene, slow)


if __name__ == "__main__":
    run(test)
