// peer.mjs: a person in a browser, on showcast-server's own web page, driven like the
// headless client.
//
//   node peer.mjs --url http://HOST:PORT [--name NAME] [--interests LIST]
//                 [--width W --height H] [--profile DIR] [--no-start]
//
// Starts Debian's chromium (headless, fake camera and microphone) with playwright-core,
// opens the page the server serves at "/" (?name=NAME), presses Start, and then:
//   stdout  one JSON object per line: the page's events ({"event": "matched", ...}, given
//           to window.scEvent), and the answers to commands
//   stdin   one JSON command per line, each done as a person does it, on the page:
//             {"cmd":"say","text":T}     typed into the focused text box, then Enter
//             {"cmd":"next"}             the Next button
//             {"cmd":"esc-esc"}          Esc twice, 200 ms apart
//             {"cmd":"report"}           the Report button
//             {"cmd":"press","target":ID,"key":K}  element ID focused, then key K pressed
//             {"cmd":"mic"} {"cmd":"camera"}  the toggles
//             {"cmd":"interests","text":T}  typed into the interests box, then Enter
//             {"cmd":"start"}            the Start/Stop button
//             {"cmd":"stats"}            → {"event":"stats", framesDecoded, audioSamples,
//                                          audioLevel, …}
//             {"cmd":"page"}             → {"event":"page", …}: what the page shows (the
//                                          chat's lines as text, elements that should
//                                          never be there, the focused element…)
//             {"cmd":"key"}              → {"event":"key", stored, algorithm, extractable}
//             {"cmd":"screenshot","path":P}  → {"event":"screenshot"}
//             {"cmd":"reload"}           the page loaded again (the name kept in the URL)
//             {"cmd":"close-tab"}        closes the page as a user closes a tab
//             {"cmd":"quit"}             closes the browser and exits
// The tests (tests/e2e/browser.py) treat it as they treat a headless client.
import { chromium } from "playwright-core";
import { createInterface } from "node:readline";

const args = { width: "1280", height: "800" };
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (!arg.startsWith("--")) continue;
  const next = process.argv[i + 1];
  if (next === undefined || next.startsWith("--")) args[arg.slice(2)] = true;
  else args[arg.slice(2)] = process.argv[++i];
}
const out = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

const launchArgs = [
  "--no-sandbox",                          // tests run as root
  "--use-fake-ui-for-media-stream",        // camera and microphone granted…
  "--use-fake-device-for-media-stream",    // …and fake: a moving picture and a beep
  "--allow-loopback-in-peer-connection",   // candidates on 127.0.0.1 (the suite's namespace)
  "--autoplay-policy=no-user-gesture-required",
  "--ignore-certificate-errors",           // the tests' self-signed certificate
];
const options = {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: launchArgs,
  viewport: { width: Number(args.width), height: Number(args.height) },
  locale: "en-US",                         // navigator.language: the page says "en"
};
// A profile directory keeps IndexedDB (the sign-in key) across runs of the driver.
const context = args.profile
  ? await chromium.launchPersistentContext(args.profile, options)
  : await (await chromium.launch(options)).newContext({ viewport: options.viewport,
                                                        locale: options.locale });
let page = null;

async function openPage() {
  if (!page || page.isClosed()) {
    page = context.pages()[0] || await context.newPage();
    page.on("pageerror", (err) => out({ event: "page-error", message: String(err) }));
    page.on("console", (m) => {
      if (m.type() === "error") out({ event: "console-error", message: m.text() });
    });
  }
  const url = new URL(args.url || "http://127.0.0.1:18080");
  url.pathname = "/";
  if (args.name) url.searchParams.set("name", args.name);
  if (args.interests) url.searchParams.set("interests", args.interests);
  await page.goto(url.href);
  if (!args["no-start"]) await page.click("#start");
}

await context.exposeFunction("scEvent", (text) => {
  try { out(JSON.parse(text)); } catch (err) { out({ event: "page-error", message: String(err) }); }
});
await openPage();
out({ event: "page-open" });

// The peer's sound, as the page plays it: the loudest RMS level (0–1) over 300 ms,
// measured with Web Audio on the <video> element's stream (headless chromium has no
// loudspeaker). Test code, in the page only while a test asks.
async function audioLevel() {
  return page.evaluate(async () => {
    const stream = document.getElementById("remote").srcObject;
    if (!stream || !stream.getAudioTracks().length) return 0;
    const ctx = window.__scAudio || (window.__scAudio = new AudioContext());
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    const source = ctx.createMediaStreamSource(stream);
    source.connect(analyser);
    let best = 0;
    const samples = new Float32Array(analyser.fftSize);
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 50));
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const x of samples) sum += x * x;
      best = Math.max(best, Math.sqrt(sum / samples.length));
    }
    source.disconnect();
    return best;
  });
}

async function handle(cmd) {
  switch (cmd.cmd) {
    case "say":
      await page.focus("#text");
      await page.keyboard.insertText(cmd.text);
      await page.keyboard.press("Enter");
      break;
    case "next":
      await page.click("#next");
      break;
    case "esc-esc":
      await page.keyboard.press("Escape");
      await page.waitForTimeout(200);
      await page.keyboard.press("Escape");
      break;
    case "report":
      await page.click("#report");
      break;
    case "press":
      // From the keyboard alone: the element focused, then a key.
      await page.focus(`#${cmd.target}`);
      await page.keyboard.press(cmd.key);
      break;
    case "interests":
      // Typed into the interests box, then Enter.
      await page.fill("#interests", cmd.text);
      await page.focus("#interests");
      await page.keyboard.press("Enter");
      break;
    case "mic":
    case "camera":
    case "start":
      await page.click(`#${cmd.cmd}`);
      break;
    case "stats": {
      const stats = await page.evaluate(() => window.showcast.stats());
      out({ event: "stats", ...stats, audioLevel: await audioLevel() });
      break;
    }
    case "page":
      out({ event: "page", ...(await page.evaluate(() => ({
        status: document.getElementById("status").textContent,
        peer: document.getElementById("peer").textContent,
        lines: [...document.querySelectorAll("#log li")].map((li) => ({
          kind: li.className, text: li.querySelector(".text").textContent,
          who: li.querySelector(".who") ? li.querySelector(".who").textContent : null })),
        // What injected HTML would have made, and what a script in it would have set.
        injected: document.querySelectorAll("#log img, #log script, #peer *, #log b").length,
        pwned: window.pwned === true,
        focused: document.activeElement ? document.activeElement.id : null,
        buttons: [...document.querySelectorAll("button")].map((b) => ({
          id: b.id, name: b.textContent.trim(), disabled: b.disabled,
          pressed: b.getAttribute("aria-pressed") })),
        remoteVideo: (() => {
          // The peer's picture as the page shows it: its size and mean brightness (0–255).
          const video = document.getElementById("remote");
          const out = { width: video.videoWidth, height: video.videoHeight, luma: null };
          if (!video.videoWidth) return out;
          const canvas = document.createElement("canvas");
          canvas.width = 64;
          canvas.height = 48;
          const g = canvas.getContext("2d");
          g.drawImage(video, 0, 0, 64, 48);
          const px = g.getImageData(0, 0, 64, 48).data;
          let sum = 0;
          for (let i = 0; i < px.length; i += 4) sum += 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
          out.luma = sum / (px.length / 4);
          return out;
        })(),
        overflowX: document.documentElement.scrollWidth > window.innerWidth,
      }))) });
      break;
    case "key":
      // The sign-in key as IndexedDB keeps it (no key: a guest).
      out({ event: "key", ...(await page.evaluate(() => new Promise((resolve) => {
        const req = indexedDB.open("showcast", 1);
        req.onupgradeneeded = () => req.result.createObjectStore("keys");
        req.onsuccess = () => {
          const get = req.result.transaction("keys").objectStore("keys").get("identity");
          get.onsuccess = async () => {
            const pair = get.result;
            if (!pair) return resolve({ stored: false });
            const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
            resolve({ stored: true, algorithm: pair.privateKey.algorithm.name,
                      extractable: pair.privateKey.extractable, usages: pair.privateKey.usages,
                      public: btoa(String.fromCharCode(...raw)) });
          };
        };
      }))) });
      break;
    case "screenshot":
      await page.screenshot({ path: cmd.path });
      out({ event: "screenshot", path: cmd.path });
      break;
    case "reload":
      await openPage();
      out({ event: "page-open" });
      break;
    case "close-tab":
      await page.close({ runBeforeUnload: false });
      out({ event: "tab-closed" });
      break;
    case "quit":
      await context.close();
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
  await context.close();
  process.exit(0);
});
