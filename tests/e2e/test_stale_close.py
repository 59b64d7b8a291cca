"""One session, one live connection, over real sockets (raw WebSockets speaking the
protocol): a session resumed on a new connection with a one-time ticket replaces the
old socket, and the old socket's late close — even a clean close frame, which would end
a current session at once — never ends the new one. Tickets are single-use and given
only for a good token in the Authorization header."""
import json
import time
import urllib.error
import urllib.request

from harness import Failure, Scene, run
from test_server_input import RawWebSocket

PORT = 18080
GRACE_S = 3   # the default is 10: a shorter one makes the wait past it shorter


def sign_in(name):
    ws = RawWebSocket("127.0.0.1", PORT)
    ws.recv()   # hello
    ws.send(json.dumps({"type": "sign-in", "version": 1, "name": name}))
    signed = ws.recv_type("signed-in")
    if signed.get("resumed") is not False or not signed.get("token", "").startswith("st1."):
        raise Failure(f"signed-in: {signed}")
    return ws, signed


def ticket(token, expect=200):
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}/session/ticket", method="POST",
                                 headers={"Authorization": f"Bearer {token}"}, data=b"")
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            body = json.loads(r.read())
            status = r.status
    except urllib.error.HTTPError as e:
        body, status = json.loads(e.read()), e.code
    if status != expect:
        raise Failure(f"ticket: HTTP {status} {body}, expected {expect}")
    return body


def test():
    with Scene() as scene:
        scene.server(port=PORT, extra=["--allow-guests", "--grace", str(GRACE_S)])
        a, a_in = sign_in("alice")
        b, b_in = sign_in("bob")
        call = a.recv_type("matched")["call"]
        b.recv_type("matched")

        # No token, a forged one: refused.
        ticket("st1.forged.token", expect=401)
        forged = a_in["token"][:-3] + ("AAA" if not a_in["token"].endswith("AAA") else "BBB")
        ticket(forged, expect=401)

        # alice resumes on a second socket while the first still looks alive.
        t = ticket(a_in["token"])["ticket"]
        a2 = RawWebSocket("127.0.0.1", PORT, path=f"/ws?ticket={t}")
        a2.recv()   # hello
        resumed = a2.recv_type("signed-in")
        if resumed.get("resumed") is not True or resumed.get("call") != call or \
           resumed.get("id") != a_in["id"]:
            raise Failure(f"resume: {resumed}")
        old = a.recv_type("error")
        if old.get("code") != "replaced":
            raise Failure(f"old socket: {old}")
        # The late close of the old socket: a clean close frame, then the TCP close.
        try:
            a.close(1000)
        except OSError:
            pass

        # The session and its call go on: signalling flows both ways.
        cand = {"type": "candidate", "call": call, "mline": 0, "candidate": ""}
        a2.send(json.dumps(cand))
        if b.recv_type("candidate").get("call") != call:
            raise Failure("bob did not get alice's candidate")
        b.send(json.dumps(cand))
        if a2.recv_type("candidate").get("call") != call:
            raise Failure("alice did not get bob's candidate")

        # The same ticket again: refused, and the connection must sign in instead.
        a3 = RawWebSocket("127.0.0.1", PORT, path=f"/ws?ticket={t}")
        a3.recv()
        err = a3.recv_type("error")
        if err.get("code") != "bad-ticket":
            raise Failure(f"reused ticket: {err}")
        a3.close(1000)

        # Past a whole grace period, nobody has been told anything.
        time.sleep(GRACE_S + 1)
        b.send('{"type":"leave"}')
        left = a2.recv_type("peer-left")
        if left.get("reason") != "left":
            raise Failure(f"alice: {left}")
        b.sock.settimeout(1)
        try:
            extra = b.recv()
            if extra.get("type") == "peer-left":
                raise Failure(f"bob was told {extra}: the stale close ended the session")
        except (OSError, Failure):
            pass
        print("stale close ignored; ticket single-use")


run(test)
