"""The chaos test of issue #4 against two nodes sharing one Redis (issue #5): 200
signalling-only clients, half on each node, random sign-in, next, leave, report,
dropped connections and reconnects for 15 s; 0 invariant violations from the clients'
view and from both servers' own checks."""
from harness import Scene, leak_check_env, run
from redis_server import RedisServer
from test_chaos import CHAOS_INTERESTS, CHAOS_SERVER_OPTIONS, chaos


def test():
    with Scene() as scene:
        redis = RedisServer()
        scene.procs.append(redis)
        # Leak-checked when they stop, under AddressSanitizer (as in test_chaos).
        nodes = [scene.server(port=port, extra=[*CHAOS_SERVER_OPTIONS, "--redis", redis.url,
                                                "--node-name", f"node-{i}"],
                              env=leak_check_env())
                 for i, port in enumerate((18080, 18081), start=1)]
        chaos(nodes, extra=CHAOS_INTERESTS)


run(test)
