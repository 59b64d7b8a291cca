// A standard WebRTC peer speaking showcast's protocol (docs/protocol.md) as a guest, the
// way a small web app would: RTCPeerConnection with the browser's camera and microphone,
// one data channel labelled "chat", trickle ICE, next and leave. Nothing here knows
// about showcast's internals; if this page can call showcast, so can other browsers.
//
// Query: ?server=ws://HOST:PORT&name=NAME. Events go to window.scEvent (set by
// peer.mjs) as objects shaped like the headless client's: {event: "matched", ...}.
"use strict";

const params = new URLSearchParams(location.search);
const emit = (event) => {
  if (window.scEvent) window.scEvent(JSON.stringify(event));
  document.getElementById("log").textContent += JSON.stringify(event) + "\n";
};

let ws = null;
let pc = null;
let channel = null;
let call = null;
let localStream = null;
let pendingCandidates = [];

// Every signalling message in and out is an event too ("signal"), for a test's log.
function send(msg) {
  emit({ event: "signal", dir: "out", type: msg.type, call: msg.call || null,
         sent: Boolean(ws && ws.readyState === WebSocket.OPEN) });
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function endCall() {
  analyser = null;
  levels = [];
  if (channel) channel.onclose = channel.onerror = channel.onmessage = null;
  if (pc) {
    pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = null;
    pc.close();
  }
  pc = channel = null;
  call = null;
  pendingCandidates = [];
}

// What the peer's audio sounds like: the loudest RMS level (0–1) over the last second,
// measured with Web Audio as it is decoded (headless chromium has no loudspeaker).
let audioContext = null;
let analyser = null;
let levels = [];
function listen(track) {
  audioContext = audioContext || new AudioContext();
  analyser = audioContext.createAnalyser();
  analyser.fftSize = 2048;
  audioContext.createMediaStreamSource(new MediaStream([track])).connect(analyser);
}
setInterval(() => {
  if (!analyser) return;
  const samples = new Float32Array(analyser.fftSize);
  analyser.getFloatTimeDomainData(samples);
  let sum = 0;
  for (const x of samples) sum += x * x;
  levels.push(Math.sqrt(sum / samples.length));
  if (levels.length > 10) levels.shift();
}, 100);

function watchChannel(dc) {
  channel = dc;
  dc.onopen = () => emit({ event: "chat-open" });
  dc.onmessage = (e) => {
    let msg;
    try { msg = JSON.parse(e.data); } catch (err) { return; }
    if (msg && msg.type === "chat" && typeof msg.text === "string")
      emit({ event: "chat", text: msg.text });
  };
}

async function startCall(matched) {
  endCall();
  call = matched.call;
  const config = { iceServers: (matched.ice_servers || []).map((s) => ({
    urls: s.urls, username: s.username, credential: s.credential })) };
  pc = new RTCPeerConnection(config);
  const thisCall = call;
  for (const track of localStream.getTracks()) pc.addTrack(track, localStream);
  pc.onicecandidate = (e) => {
    if (call !== thisCall) return;
    if (e.candidate && e.candidate.candidate)
      send({ type: "candidate", call: thisCall, mline: e.candidate.sdpMLineIndex || 0,
             candidate: e.candidate.candidate });
  };
  pc.ontrack = (e) => {
    const video = document.getElementById("remote");
    if (e.streams[0] && video.srcObject !== e.streams[0]) video.srcObject = e.streams[0];
    if (e.track.kind === "audio") listen(e.track);
  };
  pc.onconnectionstatechange = () => {
    if (call !== thisCall) return;
    emit({ event: "pc-state", state: pc.connectionState });
    if (pc.connectionState === "connected") emit({ event: "connected" });
  };
  pc.ondatachannel = (e) => watchChannel(e.channel);
  if (matched.role === "offerer") {
    watchChannel(pc.createDataChannel("chat", { ordered: true }));
    const thisPc = pc;
    const offer = await thisPc.createOffer();
    emit({ event: "step", what: "offer created", same: call === thisCall });
    await thisPc.setLocalDescription(offer);
    emit({ event: "step", what: "offer set", same: call === thisCall });
    if (call === thisCall) send({ type: "offer", call: thisCall, sdp: thisPc.localDescription.sdp });
  }
}

async function addCandidate(msg) {
  if (!pc || msg.call !== call || !msg.candidate) return;
  if (!pc.remoteDescription) {
    pendingCandidates.push(msg);
    return;
  }
  try {
    await pc.addIceCandidate({ candidate: msg.candidate, sdpMLineIndex: msg.mline });
  } catch (err) {
    emit({ event: "page-error", message: "addIceCandidate: " + err });
  }
}

async function flushCandidates() {
  const waiting = pendingCandidates;
  pendingCandidates = [];
  for (const c of waiting) await addCandidate(c);
}

async function onMessage(msg) {
  if (msg.type !== "candidate")
    emit({ event: "signal", dir: "in", type: msg.type, call: msg.call || null });
  switch (msg.type) {
    case "hello":
      send({ type: "sign-in", version: 1, name: params.get("name") || "browser" });
      break;
    case "signed-in":
      emit({ event: "signed-in", id: msg.id, name: msg.name });
      break;
    case "waiting":
      emit({ event: "waiting", queue: msg.queue });
      break;
    case "matched":
      emit({ event: "matched", call: msg.call, role: msg.role, peer: msg.peer });
      await startCall(msg);
      break;
    case "offer":
      if (!pc || msg.call !== call) return;
      await pc.setRemoteDescription({ type: "offer", sdp: msg.sdp });
      await flushCandidates();
      {
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        send({ type: "answer", call: msg.call, sdp: pc.localDescription.sdp });
      }
      break;
    case "answer":
      if (!pc || msg.call !== call) return;
      await pc.setRemoteDescription({ type: "answer", sdp: msg.sdp });
      await flushCandidates();
      break;
    case "candidate":
      await addCandidate(msg);
      break;
    case "peer-left":
      if (msg.call === call) endCall();
      emit({ event: "peer-left", reason: msg.reason });
      break;
    case "error":
      emit({ event: "error", code: msg.code, message: msg.message });
      break;
    default:
      break;
  }
}

// Commands from the driver (peer.mjs), as page.evaluate calls.
window.sc = {
  say(text) {
    if (!channel || channel.readyState !== "open") return false;
    channel.send(JSON.stringify({ type: "chat", text }));
    return true;
  },
  // As browser apps do: say next, then close the peer connection at once.
  next() {
    send({ type: "next", call });
    endCall();
  },
  async stats() {
    const out = { framesDecoded: 0, audioSamples: 0, audioLevel: Math.max(0, ...levels),
                  connection: pc ? pc.connectionState : "none",
                  ice: pc ? pc.iceConnectionState : "none", video: null, audio: null };
    if (!pc) return out;
    const report = await pc.getStats();
    report.forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "video") {
        out.framesDecoded += s.framesDecoded || 0;
        out.video = { width: s.frameWidth, height: s.frameHeight, packets: s.packetsReceived };
      }
      if (s.type === "inbound-rtp" && s.kind === "audio") {
        out.audioSamples += (s.totalSamplesReceived || 0) - (s.concealedSamples || 0);
        out.audio = { packets: s.packetsReceived };
      }
      if (s.type === "codec") (out.codecs = out.codecs || []).push(`${s.payloadType} ${s.mimeType}`);
    });
    return out;
  },
};

async function main() {
  localStream = await navigator.mediaDevices.getUserMedia({
    video: { width: 320, height: 240 }, audio: true });
  ws = new WebSocket((params.get("server") || "ws://127.0.0.1:18080") + "/ws");
  let chain = Promise.resolve();
  ws.onmessage = (e) => {
    let msg;
    try { msg = JSON.parse(e.data); } catch (err) { return; }
    // One message at a time, in order: an answer must not overtake its offer's handling.
    chain = chain.then(() => onMessage(msg)).catch((err) =>
      emit({ event: "page-error", message: String(err) }));
  };
  ws.onclose = () => emit({ event: "server-closed" });
}

main().catch((err) => emit({ event: "page-error", message: String(err) }));
