// showcast's web client: the same lobby, protocol (docs/protocol.md) and limits as the
// terminal client, with the browser's own WebRTC, camera and microphone.
//
// Untrusted text (a stranger's name and chat, every message from the server) reaches the
// page only through textContent, after the same clean-up as on a terminal: control
// characters and bidirectional overrides removed. Nothing here builds HTML from strings.
//
// For automation (tests/browser/peer.mjs), every event the page goes through is also
// given to window.scEvent, if a driver defined it, as one JSON text shaped like the
// headless client's events ({"event":"matched",...}).
"use strict";

const PROTOCOL_VERSION = 1;
const MAX_CHAT_CHARS = 1000;          // docs/protocol.md, data channel
const MAX_CHANNEL_BYTES = 8192;       // a receiver drops anything larger
const MAX_NAME_CHARS = 32;
const MAX_INTERESTS = 8;              // #27: up to 8, of 1–24 characters
const MAX_INTEREST_CHARS = 24;
const CONNECT_TIMEOUT_MS = 15000;     // no connection by then: call-failed, as the client
const ESC_TWICE_MS = 1000;            // Esc twice within a second skips, as Omegle did
const MAX_LOG_LINES = 500;
const RECONNECT_FIRST_MS = 1000;
const RECONNECT_MAX_MS = 10000;

const $ = (id) => document.getElementById(id);
const ui = {
  status: $("status"), remote: $("remote"), self: $("self"), peer: $("peer"),
  startForm: $("start-form"), name: $("name"), start: $("start"), next: $("next"),
  report: $("report"), mic: $("mic"), camera: $("camera"), log: $("log"),
  chatForm: $("chat-form"), text: $("text"), interestsForm: $("interests-form"),
  interests: $("interests"),
};

function emit(event) {
  if (typeof window.scEvent === "function") {
    try { window.scEvent(JSON.stringify(event)); } catch (err) { /* a driver's problem */ }
  }
}

// ---- Text from strangers ---------------------------------------------------------------

// What a terminal would not draw, the page does not show either: C0 and C1 controls,
// line and paragraph separators, and the bidirectional controls a stranger could use to
// make a line read as someone else's (common/sc-text.c removes the same).
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

function clean(text, maxChars) {
  const chars = Array.from(String(text).replace(/[\t\n\r]/g, " ").replace(HIDDEN, ""));
  return chars.slice(0, maxChars).join("").trim();
}

// What the user typed as interests: split at commas (or spaces without one), cleaned,
// lower-cased, without duplicates. The server checks them again (and says bad-interests).
function interestsOf(text) {
  const parts = String(text).includes(",") ? String(text).split(",") : String(text).split(/\s+/);
  const out = [];
  for (const part of parts) {
    const one = clean(part, 64).normalize("NFC").toLowerCase().normalize("NFC");
    if (one && !out.includes(one)) out.push(one);
  }
  return out;
}

function checkInterests(list) {
  if (list.length > MAX_INTERESTS) return `At most ${MAX_INTERESTS} interests.`;
  const long = list.find((t) => Array.from(t).length > MAX_INTEREST_CHARS);
  return long ? `An interest is longer than ${MAX_INTEREST_CHARS} characters.` : null;
}

// The language the browser says its user reads first, as two or three letters.
function language() {
  const primary = String(navigator.language || "").split(/[-_]/)[0].toLowerCase();
  return /^[a-z]{2,3}$/.test(primary) ? primary : null;
}

// ---- The log ---------------------------------------------------------------------------

function addLine(kind, who, text) {
  const li = document.createElement("li");
  li.className = kind;
  if (who !== null) {
    const name = document.createElement("bdi");
    name.className = "who";
    name.textContent = who;
    li.append(name);
  }
  const body = document.createElement("bdi");
  body.className = "text";
  body.textContent = text;
  li.append(body);
  ui.log.append(li);
  while (ui.log.childElementCount > MAX_LOG_LINES) ui.log.firstElementChild.remove();
  ui.log.scrollTop = ui.log.scrollHeight;
}

const note = (text) => addLine("note", null, text);

function setStatus(text) {
  ui.status.textContent = text;
}

// ---- Identity: a guest, or an Ed25519 key kept in IndexedDB ----------------------------

function openKeyStore() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open("showcast", 1);
    req.onupgradeneeded = () => req.result.createObjectStore("keys");
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function storeOp(db, mode, op) {
  return new Promise((resolve, reject) => {
    const req = op(db.transaction("keys", mode).objectStore("keys"));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// The private key is made not extractable: the page can sign with it, never read it.
// The pair is kept as CryptoKey objects (IndexedDB stores them as they are).
async function identityKey() {
  const db = await openKeyStore();
  try {
    let pair = await storeOp(db, "readonly", (s) => s.get("identity"));
    if (!pair) {
      pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
      await storeOp(db, "readwrite", (s) => s.put(pair, "identity"));
    }
    return pair;
  } finally {
    db.close();
  }
}

const base64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

async function keySignIn(nonce, name) {
  const pair = await identityKey();
  const key = await crypto.subtle.exportKey("raw", pair.publicKey);
  const text = new TextEncoder().encode(`showcast sign-in v1\n${nonce}\n${name}`);
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, text);
  return { key: base64(key), signature: base64(signature) };
}

// ---- State -----------------------------------------------------------------------------

const state = {
  running: false,        // Start pressed, Stop not
  ws: null,
  name: "",
  id: null,
  token: null,
  signedIn: false,
  call: null,            // the call we are in, as the server named it
  peerName: "",
  pc: null,
  channel: null,
  pending: [],           // candidates before the remote description
  connectTimer: 0,
  stream: null,          // camera and microphone
  reconnectAttempt: 0,
  reconnectTimer: 0,
  lastEsc: 0,
  interests: [],         // as sent: for the next match
};

function setInCall(inCall) {
  ui.next.disabled = !state.running;
  ui.report.disabled = !inCall;
}

// ---- Signalling ------------------------------------------------------------------------

function send(msg) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(msg));
}

function wsUrl(ticket) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws` + (ticket ? `?ticket=${encodeURIComponent(ticket)}` : "");
}

function connect(ticket) {
  const ws = new WebSocket(wsUrl(ticket));
  state.ws = ws;
  state.signedIn = false;
  let chain = Promise.resolve();
  ws.onmessage = (e) => {
    if (typeof e.data !== "string" || e.data.length > 70000) return;
    let msg;
    try { msg = JSON.parse(e.data); } catch (err) { return; }
    if (!msg || typeof msg !== "object" || typeof msg.type !== "string") return;
    // One message at a time, in order: an answer must not overtake its offer's handling.
    chain = chain.then(() => onMessage(ws, msg, Boolean(ticket))).catch((err) =>
      emit({ event: "page-error", message: String(err) }));
  };
  ws.onclose = (e) => {
    if (state.ws !== ws) return;
    state.ws = null;
    state.signedIn = false;
    if (state.running && state.token && !e.wasClean) reconnectLater();
    else if (state.running) stop(e.reason || "the server closed the connection");
  };
}

// A dropped connection comes back with a ticket for the same session (the call goes on
// peer to peer meanwhile): after 1 s, then twice as long each time, up to 10 s.
function reconnectLater() {
  state.reconnectAttempt += 1;
  const inMs = Math.min(RECONNECT_FIRST_MS * 2 ** (state.reconnectAttempt - 1), RECONNECT_MAX_MS);
  setStatus(`Connection lost; reconnecting in ${Math.round(inMs / 1000)} s`);
  emit({ event: "reconnecting", attempt: state.reconnectAttempt, in_ms: inMs });
  state.reconnectTimer = setTimeout(reconnect, inMs);
}

async function reconnect() {
  state.reconnectTimer = 0;
  if (!state.running) return;
  let ticket = null;
  try {
    const reply = await fetch("/session/ticket", {
      method: "POST", headers: { Authorization: `Bearer ${state.token}` }, cache: "no-store" });
    const body = await reply.json();
    if (reply.ok && typeof body.ticket === "string" && body.ticket.length <= 256) ticket = body.ticket;
    else if (reply.status === 401) state.token = null;   // expired: sign in afresh
  } catch (err) {
    if (state.running) reconnectLater();
    return;
  }
  if (state.running) connect(ticket);
}

async function signIn(ws, hello) {
  const msg = { type: "sign-in", version: PROTOCOL_VERSION, name: state.name };
  if (state.interests.length) msg.interests = state.interests;
  if (language()) msg.language = language();
  if (!hello.guests) {
    if (!window.isSecureContext || !crypto.subtle) {
      stop("This server signs in with a key, which needs https");
      return;
    }
    try {
      Object.assign(msg, await keySignIn(hello.nonce, state.name));
    } catch (err) {
      stop(`This browser cannot make a sign-in key (Ed25519): ${err.message || err}`);
      return;
    }
  }
  if (state.ws === ws) send(msg);
}

async function onMessage(ws, msg, resuming) {
  if (state.ws !== ws) return;
  switch (msg.type) {
    case "hello":
      // After a ticket the server signs us in by itself.
      if (!resuming && typeof msg.nonce === "string") await signIn(ws, msg);
      break;
    case "signed-in":
      onSignedIn(msg, resuming);
      break;
    case "session":
      if (typeof msg.token === "string") state.token = msg.token;
      break;
    case "waiting":
      if (state.call) endCall();
      setStatus(`Waiting for a stranger… (${Number(msg.queue) || 1} waiting)`);
      emit({ event: "waiting", queue: msg.queue });
      break;
    case "matched":
      if (msg.call === state.call) break;   // sent again after a resume: known
      await startCall(msg);
      break;
    case "offer":
      await onOffer(msg);
      break;
    case "answer":
      if (!state.pc || msg.call !== state.call || typeof msg.sdp !== "string") break;
      await state.pc.setRemoteDescription({ type: "answer", sdp: msg.sdp });
      await flushCandidates();
      break;
    case "candidate":
      await addCandidate(msg);
      break;
    case "peer-left":
      onPeerLeft(msg);
      break;
    case "cooldown":
      setStatus(`Skipping too fast: back in the lobby in ${Math.ceil((Number(msg.ms) || 0) / 1000)} s`);
      emit({ event: "cooldown", ms: msg.ms });
      break;
    case "error":
      onError(msg, resuming);
      break;
    default:
      break;
  }
}

function onSignedIn(msg, resuming) {
  state.signedIn = true;
  if (typeof msg.token === "string") state.token = msg.token;
  state.id = typeof msg.id === "string" ? msg.id : null;
  if (resuming) {
    state.reconnectAttempt = 0;
    // Our call is over unless the server still names it.
    if (state.call && msg.call !== state.call) endCall();
    emit({ event: "reconnected", resumed: msg.resumed === true });
    if (msg.resumed !== true) {
      note("Reconnected with a new session.");
      // The new session knows nothing of what the user shares.
      if (state.interests.length || language())
        send({ type: "interests", list: state.interests, language: language() || undefined });
    }
    setStatus(state.call ? connectionStatus() : "Reconnected");
    return;
  }
  const name = clean(msg.name, MAX_NAME_CHARS);
  emit({ event: "signed-in", id: state.id, name });
  setStatus(`Signed in as ${name}`);
}

function onError(msg, resuming) {
  const code = typeof msg.code === "string" ? msg.code.slice(0, 64) : "error";
  const message = clean(msg.message || "", 400);
  emit({ event: "error", code, message });
  if (code === "bad-ticket" && resuming) {
    // The session is gone: sign in afresh on this connection.
    state.token = null;
    const ws = state.ws;
    ws.onmessage = null;
    connectFresh(ws);
    return;
  }
  if (!state.signedIn && (code === "bad-interests" || code === "bad-language")) {
    stop(message || code);
    return;
  }
  if (code === "replaced" || code === "banned" || code === "guests-not-allowed" ||
      code === "bad-name" || code === "bad-key" || code === "bad-signature" ||
      code === "unsupported-version") {
    stop(message || code);
    return;
  }
  note(message || code);
}

// After a refused ticket: this connection's hello has gone by; a new connection it is.
function connectFresh(old) {
  state.ws = null;
  old.onclose = null;
  old.close(1000);
  connect(null);
}

// ---- The call --------------------------------------------------------------------------

async function startCall(matched) {
  endCall();
  if (typeof matched.call !== "string") return;
  state.call = matched.call;
  const peer = matched.peer && typeof matched.peer === "object" ? matched.peer : {};
  state.peerName = clean(peer.name || "", MAX_NAME_CHARS) || "stranger";
  ui.peer.textContent = state.peerName;
  note(`You are talking to ${state.peerName}. Esc Esc for the next stranger.`);
  const common = (Array.isArray(matched.common) ? matched.common : [])
    .filter((t) => typeof t === "string").slice(0, MAX_INTERESTS)
    .map((t) => clean(t, MAX_INTEREST_CHARS)).filter(Boolean);
  if (common.length) note(`You both like: ${common.join(", ")}`);
  setStatus(`Connecting to ${state.peerName}…`);
  setInCall(true);
  emit({ event: "matched", call: state.call, role: matched.role,
         peer: { id: peer.id, name: state.peerName }, common });

  const iceServers = (Array.isArray(matched.ice_servers) ? matched.ice_servers : [])
    .filter((s) => s && Array.isArray(s.urls))
    .map((s) => ({ urls: s.urls, username: s.username, credential: s.credential }));
  const pc = new RTCPeerConnection({ iceServers });
  const call = state.call;
  state.pc = pc;
  if (state.stream) for (const track of state.stream.getTracks()) pc.addTrack(track, state.stream);
  else {
    pc.addTransceiver("audio", { direction: "recvonly" });
    pc.addTransceiver("video", { direction: "recvonly" });
  }
  pc.onicecandidate = (e) => {
    if (state.call !== call) return;
    if (e.candidate && e.candidate.candidate)
      send({ type: "candidate", call, mline: e.candidate.sdpMLineIndex || 0,
             candidate: e.candidate.candidate });
  };
  pc.ontrack = (e) => {
    if (state.pc !== pc) return;
    const stream = e.streams[0] || new MediaStream([e.track]);
    if (ui.remote.srcObject !== stream) ui.remote.srcObject = stream;
    ui.remote.play().catch(() => {});
  };
  pc.onconnectionstatechange = () => onConnectionState(pc, call);
  pc.ondatachannel = (e) => { if (state.pc === pc) watchChannel(e.channel); };
  state.connectTimer = setTimeout(() => callFailed(call, "no connection within 15 s"),
                                  CONNECT_TIMEOUT_MS);
  if (matched.role === "offerer") {
    watchChannel(pc.createDataChannel("chat", { ordered: true }));
    const offer = await pc.createOffer();
    if (state.pc !== pc) return;
    await pc.setLocalDescription(offer);
    if (state.pc === pc) send({ type: "offer", call, sdp: pc.localDescription.sdp });
  }
}

async function onOffer(msg) {
  const pc = state.pc;
  if (!pc || msg.call !== state.call || typeof msg.sdp !== "string") return;
  await pc.setRemoteDescription({ type: "offer", sdp: msg.sdp });
  await flushCandidates();
  const answer = await pc.createAnswer();
  if (state.pc !== pc) return;
  await pc.setLocalDescription(answer);
  if (state.pc === pc) send({ type: "answer", call: msg.call, sdp: pc.localDescription.sdp });
}

async function addCandidate(msg) {
  const pc = state.pc;
  if (!pc || msg.call !== state.call || typeof msg.candidate !== "string" || !msg.candidate) return;
  if (!pc.remoteDescription) {
    if (state.pending.length < 200) state.pending.push(msg);
    return;
  }
  try {
    await pc.addIceCandidate({ candidate: msg.candidate, sdpMLineIndex: Number(msg.mline) || 0 });
  } catch (err) {
    emit({ event: "page-error", message: `addIceCandidate: ${err}` });
  }
}

async function flushCandidates() {
  const waiting = state.pending;
  state.pending = [];
  for (const c of waiting) await addCandidate(c);
}

// The way the call goes, in the terminal client's words: direct, or through the relay.
async function callPath(pc) {
  const report = await pc.getStats();
  let pair = null;
  report.forEach((s) => {
    if (s.type === "transport" && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId);
  });
  if (!pair) return null;
  const local = report.get(pair.localCandidateId);
  const remote = report.get(pair.remoteCandidateId);
  if (!local || !remote) return null;
  return { local: local.candidateType, remote: remote.candidateType,
           protocol: local.relayProtocol || local.protocol };
}

function pathText(path) {
  if (!path) return "";
  if (path.local === "relay") return path.protocol === "tcp" ? "relay over TCP" : "relay";
  return path.remote === "relay" ? "relay" : "direct";
}

function connectionStatus() {
  return `Connected to ${state.peerName}` + (state.path ? ` (${pathText(state.path)})` : "");
}

async function onConnectionState(pc, call) {
  if (state.pc !== pc) return;
  const s = pc.connectionState;
  if (s === "connected") {
    clearTimeout(state.connectTimer);
    state.connectTimer = 0;
    state.path = await callPath(pc).catch(() => null);
    if (state.pc !== pc) return;
    setStatus(connectionStatus());
    emit({ event: "connected", call, path: state.path });
  } else if (s === "failed") {
    callFailed(call, "the connection failed");
  }
}

function callFailed(call, why) {
  if (state.call !== call) return;
  send({ type: "call-failed", call });
  note(`The call did not connect (${why}); finding someone else.`);
  emit({ event: "call-failed", call, why });
  endCall();
}

function watchChannel(dc) {
  state.channel = dc;
  dc.onopen = () => {
    if (state.channel === dc) emit({ event: "chat-open" });
  };
  dc.onmessage = (e) => {
    if (state.channel !== dc || typeof e.data !== "string" || e.data.length > MAX_CHANNEL_BYTES) return;
    let msg;
    try { msg = JSON.parse(e.data); } catch (err) { return; }
    if (!msg || typeof msg !== "object" || Array.isArray(msg) || msg.type !== "chat" ||
        typeof msg.text !== "string" || Object.keys(msg).length !== 2) return;
    const text = clean(msg.text, MAX_CHAT_CHARS);
    if (!text) return;
    addLine("peer", state.peerName, text);
    emit({ event: "chat", text });
  };
}

function endCall() {
  clearTimeout(state.connectTimer);
  state.connectTimer = 0;
  if (state.channel) state.channel.onopen = state.channel.onmessage = null;
  if (state.pc) {
    const pc = state.pc;
    pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = pc.ondatachannel = null;
    pc.close();
  }
  state.pc = state.channel = null;
  state.call = null;
  state.path = null;
  state.pending = [];
  ui.remote.srcObject = null;
  ui.peer.textContent = "";
  setInCall(false);
}

function onPeerLeft(msg) {
  if (msg.call !== state.call) return;
  const reason = ["next", "left", "lost"].includes(msg.reason) ? msg.reason : "left";
  const why = { next: "skipped to someone else", left: "left", lost: "lost the connection" }[reason];
  note(`${state.peerName} ${why}.`);
  endCall();
  emit({ event: "peer-left", reason });
}

// ---- What the user does ----------------------------------------------------------------

function skip() {
  if (!state.running) return;
  const call = state.call;
  send(call ? { type: "next", call } : { type: "next" });
  if (call) {
    note("You skipped.");
    endCall();
  }
  emit({ event: "skipped", call });
}

function report() {
  const call = state.call;
  if (!call) return;
  send({ type: "report", call, reason: "" });
  note(`You reported ${state.peerName}; you will not meet again.`);
  endCall();
  emit({ event: "reported", call });
}

function say(text) {
  const line = clean(text, MAX_CHAT_CHARS);
  if (!line) return false;
  const dc = state.channel;
  if (!dc || dc.readyState !== "open") {
    note("Nobody to talk to yet.");
    return false;
  }
  dc.send(JSON.stringify({ type: "chat", text: line }));
  addLine("me", "You", line);
  emit({ event: "said", text: line });
  return true;
}

function toggle(kind) {
  const button = kind === "audio" ? ui.mic : ui.camera;
  if (!state.stream) return;
  const tracks = kind === "audio" ? state.stream.getAudioTracks() : state.stream.getVideoTracks();
  const on = button.getAttribute("aria-pressed") !== "true";
  for (const t of tracks) t.enabled = on;
  button.setAttribute("aria-pressed", String(on));
  button.textContent = `${kind === "audio" ? "Mic" : "Camera"} ${on ? "on" : "off"}`;
  emit({ event: kind === "audio" ? "mic" : "camera", on });
}

// The camera and microphone this browser gives; whatever it refuses, the call goes on
// without (the stranger is still seen and heard).
async function openDevices() {
  const tries = [{ video: true, audio: true }, { audio: true }, { video: true }];
  for (const constraints of tries) {
    try {
      return await navigator.mediaDevices.getUserMedia(constraints);
    } catch (err) { /* the next, smaller, wish */ }
  }
  return null;
}

async function start() {
  const name = clean(ui.name.value, MAX_NAME_CHARS);
  if (!name) {
    setStatus("Type your name first");
    ui.name.focus();
    return;
  }
  const interests = interestsOf(ui.interests.value);
  const wrong = checkInterests(interests);
  if (wrong) {
    setStatus(wrong);
    ui.interests.focus();
    return;
  }
  state.interests = interests;
  state.name = name;
  state.running = true;
  ui.name.disabled = true;
  ui.start.textContent = "Stop";
  setStatus("Opening the camera and microphone…");
  if (!state.stream && navigator.mediaDevices) state.stream = await openDevices();
  if (!state.running) return;
  const hasAudio = Boolean(state.stream && state.stream.getAudioTracks().length);
  const hasVideo = Boolean(state.stream && state.stream.getVideoTracks().length);
  ui.mic.disabled = !hasAudio;
  ui.camera.disabled = !hasVideo;
  if (!hasAudio) ui.mic.textContent = "No mic";
  if (!hasVideo) ui.camera.textContent = "No camera";
  if (hasVideo) ui.self.srcObject = state.stream;
  setInCall(false);
  setStatus("Connecting to the lobby…");
  connect(null);
  ui.text.focus();
}

function stop(why) {
  const wasRunning = state.running;
  state.running = false;
  clearTimeout(state.reconnectTimer);
  state.reconnectTimer = 0;
  state.reconnectAttempt = 0;
  endCall();
  if (state.ws) {
    const ws = state.ws;
    state.ws = null;
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "leave" }));
    ws.close(1000);
  }
  state.token = null;
  ui.name.disabled = false;
  ui.start.textContent = "Start";
  ui.next.disabled = true;
  setStatus(why || "Stopped");
  if (why) note(why);
  if (wasRunning) emit({ event: "stopped", why: why || null });
}

ui.startForm.addEventListener("submit", (e) => {
  e.preventDefault();
  if (state.running) stop(null);
  else start().catch((err) => { stop(String(err)); emit({ event: "page-error", message: String(err) }); });
});
// New interests while signed in count from the next match (a new session would send
// them with its sign-in).
ui.interestsForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const list = interestsOf(ui.interests.value);
  const wrong = checkInterests(list);
  if (wrong) {
    note(wrong);
    return;
  }
  state.interests = list;
  if (state.signedIn) send({ type: "interests", list });
  note(list.length ? `Your interests, from the next match: ${list.join(", ")}`
                   : "No interests: you meet anyone.");
  emit({ event: "interests", list });
});
ui.chatForm.addEventListener("submit", (e) => {
  e.preventDefault();
  if (say(ui.text.value)) ui.text.value = "";
});
ui.next.addEventListener("click", skip);
ui.report.addEventListener("click", report);
ui.mic.addEventListener("click", () => toggle("audio"));
ui.camera.addEventListener("click", () => toggle("video"));
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || e.repeat) return;
  const now = performance.now();
  if (state.lastEsc && now - state.lastEsc <= ESC_TWICE_MS) {
    state.lastEsc = 0;
    skip();
  } else {
    state.lastEsc = now;
  }
});
// A closed tab says goodbye in its close frame (1001): the stranger hears it at once.
window.addEventListener("pagehide", () => {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify({ type: "leave" }));
});

// What the call looks like from here, for people debugging and for tests: counts from
// the browser's own statistics.
window.showcast = {
  async stats() {
    const out = { framesDecoded: 0, audioSamples: 0, call: state.call, path: state.path || null,
                  connection: state.pc ? state.pc.connectionState : "none" };
    if (!state.pc) return out;
    (await state.pc.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "video") {
        out.framesDecoded += s.framesDecoded || 0;
        out.video = { width: s.frameWidth, height: s.frameHeight };
      }
      if (s.type === "inbound-rtp" && s.kind === "audio")
        out.audioSamples += (s.totalSamplesReceived || 0) - (s.concealedSamples || 0);
    });
    return out;
  },
};

const params = new URLSearchParams(location.search);
ui.name.value = clean(params.get("name") || "", MAX_NAME_CHARS);
ui.interests.value = clean(params.get("interests") || "", 220);
(ui.name.value ? ui.start : ui.name).focus();
