// peer.mjs: a browser as a showcast peer, driven like the headless client.
//
//   node peer.mjs --server ws://HOST:PORT --name NAME
//
// Starts Debian's chromium (headless, fake camera and microphone) with playwright-core,
// opens peer.html (a guest speaking docs/protocol.md) and then:
//   stdout  one JSON object per line: the page's events ({"event": "matched", ...}),
//           and the answers to commands
//   stdin   one JSON command per line:
//             {"cmd":"say","text":T}   chat over the data channel  → {"event":"said"}
//             {"cmd":"next"}           next, then the peer connection closed at once
//             {"cmd":"stats"}          → {"event":"stats", framesDecoded, audioSamples, …}
//             {"cmd":"close-tab"}      closes the page as a user closes a tab
//             {"cmd":"quit"}           closes the browser and exits
// The tests (tests/e2e/browser.py) treat it as they treat a headless client.
import { chromium } from "playwright-core";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) =>
    arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const out = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",                          // tests run as root
    "--use-fake-ui-for-media-stream",        // camera and microphone granted…
    "--use-fake-device-for-media-stream",    // …and fake: a moving picture and a beep
    "--allow-loopback-in-peer-connection",   // candidates on 127.0.0.1 (the suite's namespace)
    "--autoplay-policy=no-user-gesture-required",
  ],
});
const page = await browser.newPage();
await page.exposeFunction("scEvent", (text) => {
  try { out(JSON.parse(text)); } catch (err) { out({ event: "page-error", message: String(err) }); }
});
page.on("pageerror", (err) => out({ event: "page-error", message: String(err) }));

const here = path.dirname(fileURLToPath(import.meta.url));
const url = pathToFileURL(path.join(here, "peer.html"));
url.searchParams.set("server", args.server || "ws://127.0.0.1:18080");
url.searchParams.set("name", args.name || "browser");
await page.goto(url.href);

async function handle(cmd) {
  switch (cmd.cmd) {
    case "say":
      if (await page.evaluate((t) => window.sc.say(t), cmd.text))
        out({ event: "said", text: cmd.text });
      else
        out({ event: "error", code: "chat-not-ready", message: "the chat is not open" });
      break;
    case "next":
      await page.evaluate(() => window.sc.next());
      break;
    case "stats":
      out({ event: "stats", ...(await page.evaluate(() => window.sc.stats())) });
      break;
    case "close-tab":
      await page.close({ runBeforeUnload: false });
      out({ event: "tab-closed" });
      break;
    case "quit":
      await browser.close();
      out({ event: "bye" });
      process.exit(0);
    default:
      out({ event: "error", code: "unknown-command", message: String(cmd.cmd) });
  }
}

const lines = createInterface({ input: process.stdin });
let chain = Promise.resolve();
lines.on("line", (line) => {
  let cmd;
  try { cmd = JSON.parse(line); } catch (err) { out({ event: "error", code: "bad-json" }); return; }
  chain = chain.then(() => handle(cmd)).catch((err) =>
    out({ event: "error", code: "driver", message: String(err) }));
});
lines.on("close", async () => {
  await chain;
  await browser.close();
  process.exit(0);
});
