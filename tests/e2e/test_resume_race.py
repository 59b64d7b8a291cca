"""Resuming into a call the client never heard of (issue #4's resume, the order the
protocol allows): a client in call A loses its connection just after the server told it,
on the dying socket, that A ended and that it is now in call B. Those messages die with
the socket. The client comes back with a ticket; the server's signed-in names call B and
repeats B's matched. The client must report A's end (peer-left, reason "lost": it cannot
know why) before B's matched, so every matched in its event stream follows the end of
the call before; and it must not take B for A, or B's matched for a repeat.

A scripted server (fake_server.py) plays the server's part, so the order is exact."""
from fake_server import FakeServer
from harness import Failure, Scene, leak_check_env, run

PEER_A = {"id": "a" * 32, "name": "anna"}
PEER_B = {"id": "b" * 32, "name": "bert"}


def signed_in(resumed, call=None):
    message = {"type": "signed-in", "version": 1, "id": "c" * 32, "name": "carol",
               "token": "st1.fake-token", "resumed": resumed}
    if call:
        message["call"] = call
    return message


def matched(call, peer):
    return {"type": "matched", "call": call, "role": "answerer", "peer": peer,
            "ice_servers": []}


def test():
    with Scene() as scene:
        server = FakeServer()
        scene.procs.append(server)
        carol = scene.client(server, "carol", env=leak_check_env())

        first = server.connection()
        first.send(FakeServer.hello())
        first.recv_type("sign-in")
        first.send(signed_in(False))
        first.send({"type": "waiting", "queue": 1})
        first.send(matched("c" + "1" * 16, PEER_A))
        got = carol.expect("matched", timeout=10)
        if got["call"] != "c" + "1" * 16:
            raise Failure(f"carol matched in {got}")

        # Call A ends and B begins on the server's side, but the socket is dead: carol
        # hears neither.
        first.drop()
        carol.expect("reconnecting", timeout=10)
        second = server.connection(timeout=20)
        if "ticket=" not in second.path:
            raise Failure(f"carol came back without a ticket: {second.path}")
        second.send(FakeServer.hello())
        second.send(signed_in(True, call="c" + "2" * 16))
        second.send(matched("c" + "2" * 16, PEER_B))

        back = carol.expect("reconnected", timeout=10)
        if back["resumed"] is not True:
            raise Failure(f"carol's session was not resumed: {back}")
        left = carol.expect("peer-left", timeout=5)
        if left["reason"] != "lost":
            raise Failure(f"call A ended for carol with {left}")
        again = carol.expect("matched", timeout=5)
        if again["call"] != "c" + "2" * 16 or again["peer"]["name"] != "bert":
            raise Failure(f"carol's next match: {again}")
        order = [e["event"] for e in carol.seen if e["event"] in ("matched", "peer-left")]
        if order != ["matched", "peer-left", "matched"]:
            raise Failure(f"carol's calls began and ended as {order}")
        carol.send({"cmd": "status"})
        status = carol.expect("status")
        if status["state"] != "matched" or status.get("call") != "c" + "2" * 16:
            raise Failure(f"carol after the resume: {status}")
        carol.send({"cmd": "quit"})
        code = carol.wait_exit(15)
        if code != 0:
            raise Failure(f"carol exited with {code} (under AddressSanitizer: a leak?)")
        print("resume into an unknown call: peer-left lost, then matched")


run(test)
