"""A TCP relay that delays everything the server sends by a fixed time (what a client
far away, or on a busy machine, sees), in order; what clients send goes at once. Run as
its own process: python3 delay_proxy.py LISTEN_PORT TARGET_PORT DELAY_S. Tests start it
with DelayProxy (below), which stops it with the test."""
import asyncio
import subprocess
import sys
import time


async def _pipe(reader, writer, delay):
    queue = asyncio.Queue()

    async def pump():
        while True:
            item = await queue.get()
            if item is None:
                break
            due, data = item
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            writer.write(data)
            try:
                await writer.drain()
            except ConnectionError:
                break
        writer.close()

    task = asyncio.create_task(pump())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            await queue.put((time.monotonic() + delay, data))
    except ConnectionError:
        pass
    await queue.put(None)
    await task


async def _serve(listen, target, delay):
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, server_writer, 0.0),
                             _pipe(server_reader, client_writer, delay))

    server = await asyncio.start_server(handle, "127.0.0.1", listen, backlog=1024)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


class DelayProxy:
    def __init__(self, target_port, port, delay_s):
        self.url = f"ws://127.0.0.1:{port}"
        self.proc = subprocess.Popen([sys.executable, __file__, str(port), str(target_port),
                                      str(delay_s)], stdout=subprocess.PIPE, text=True)
        self.proc.stdout.readline()   # "ready"

    def stop(self):
        self.proc.kill()
        self.proc.wait()


if __name__ == "__main__":
    asyncio.run(_serve(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])))
