// Live co-editing load generator: hundreds of clients from one Node process, each the project's
// own browser sync code (assets/js/lib/sync-client.js, the module the editor bundle uses) over
// socket.io-client, as light per client as the generators used for Etherpad.
//
//   node bench/coedit-load.mjs --start-server -n 50 -m 5 --duration 40 [--no-push]
//   node bench/coedit-load.mjs --url http://127.0.0.1:5000 --doc <slug> --tokens tokens.txt \
//        --server-pid <pid> -n 50 -m 5
//
// Profile: N editors x R edits/s (period jittered +-20 %), each edit a unique token `~i.k~ `
// inserted at a word boundary of the editor's own paragraph ([r<i>] ...); M followers.
// Measures keystroke -> follower latency (every follower x token, first sighting in the
// follower's text), keystroke -> other editors, editor sync round trips, convergence after a
// quiet period (every client equal to GET /api/documents/<slug>/live, no token missing), and
// the server's CPU seconds per second and peak RSS (its process tree, from /proc).
// --start-server makes a fresh SQLite database with the Python benchmark's preparation and
// starts bench/serve.py (gunicorn, one worker: `--server gevent`, what `make run` and deploy/ run,
// or `--server gunicorn` for a gthread worker), COEDIT_LIMIT_SCALE raised because every client
// comes from 127.0.0.1.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { io } from "socket.io-client";

import { SyncClient } from "../assets/js/lib/sync-client.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const TOKEN_RE = /~(\d+)\.(\d+)~/g;

const { values: opt } = parseArgs({
  options: {
    editors: { type: "string", short: "n", default: "10" },
    followers: { type: "string", short: "m", default: "5" },
    rate: { type: "string", default: "2" },
    duration: { type: "string", default: "40" },
    warmup: { type: "string", default: "5" },
    quiet: { type: "string", default: "10" },
    "no-push": { type: "boolean", default: false },
    "start-server": { type: "boolean", default: false },
    server: { type: "string", default: "gevent" },
    url: { type: "string" },
    doc: { type: "string", default: "load-benchmark" },
    lang: { type: "string", default: "en" },
    tokens: { type: "string" },
    "server-pid": { type: "string" },
    python: { type: "string", default: join(ROOT, ".venv/bin/python") },
    "py-spy": { type: "string" },
    json: { type: "string" },
    seed: { type: "string", default: "1" },
  },
});

const N = Number(opt.editors);
const M = Number(opt.followers);
const RATE = Number(opt.rate);
const PUSH = !opt["no-push"];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let seed = Number(opt.seed);
const random = () => {
  // mulberry32: reproducible runs
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// --- server ------------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "coedit-load-"));
  const database = `sqlite:///${join(dir, "bench.db")}`;
  const prepared = spawnSync(opt.python, ["-c", [
    "import sys; sys.path.insert(0, 'bench')",
    "import coedit_load",
    `print('\\n'.join(coedit_load.prepare_database(${JSON.stringify(database)}, ${N}, ${JSON.stringify(opt.doc)})))`,
  ].join("\n")], { cwd: ROOT, env: { ...process.env, SECRET_KEY: "load-benchmark-secret" }, encoding: "utf8" });
  if (prepared.status !== 0) throw new Error(`preparing the database failed:\n${prepared.stderr}`);
  const tokens = prepared.stdout.trim().split("\n").filter(Boolean);
  const port = await freePort();
  const log = join(dir, "server.log");
  const { openSync } = await import("node:fs");
  const out = openSync(log, "w");
  const server = spawn(opt.python, [join(ROOT, "bench/serve.py"), "--server", opt.server,
    "--host", "127.0.0.1", "--port", String(port),
    "--threads", String(Math.max(1000, N + M + 100))], { // gthread: a thread per open websocket
    cwd: ROOT,
    env: {
      ...process.env, DATABASE_URL: database, SECRET_KEY: "load-benchmark-secret",
      PYTHONPATH: ROOT, COEDIT_LIMIT_SCALE: process.env.COEDIT_LIMIT_SCALE || "100",
    },
    stdio: ["ignore", out, out],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    try {
      const response = await fetch(`${url}/api/documents/${opt.doc}/live`);
      if (response.ok) return { url, tokens, server, log };
    } catch { /* not up yet */ }
    if (server.exitCode !== null) throw new Error(`the server died at start; see ${log}`);
    await sleep(200);
  }
  throw new Error("the server did not answer within 60 s");
}

// CPU and memory of the server's process tree, from /proc.
function tree(pid) {
  const children = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch { /* gone */ }
  }
  const all = [pid];
  for (let i = 0; i < all.length; i += 1) all.push(...(children.get(all[i]) || []));
  return all;
}

function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch { /* gone */ }
  }
  return ticks / 100;
}

function rssBytes(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match) total += Number(match[1]) * 1024;
    } catch { /* gone */ }
  }
  return total;
}

// --- clients -----------------------------------------------------------------------------------

const typed = new Map(); // token -> {at, by, measured}
const followerLatency = [];
const editorLatency = [];
const syncLatency = [];
const errors = {};
let measuring = false;

class Client {
  constructor(url, index, token, mode) {
    this.index = index;
    this.mode = mode;
    this.text = "";
    this.seen = new Set();
    this.counter = 0;
    this.socket = io(`${url}/coedit`, {
      transports: ["websocket"], forceNew: true, reconnectionDelayMax: 2000,
      auth: token ? { token } : undefined, autoConnect: false,
    });
    const socket = this.socket;
    const transport = {
      isConnected: () => socket.connected,
      emit: (event, payload, timeout) => new Promise((resolve) => {
        const started = performance.now();
        socket.timeout(timeout).emit(event, payload, (error, ack) => {
          if (event === "sync" && measuring && !error) syncLatency.push(performance.now() - started);
          if (error || !ack?.ok) {
            const code = error ? "timeout" : ack?.error?.code || "bad_answer";
            errors[`${event}:${code}`] = (errors[`${event}:${code}`] || 0) + 1;
          }
          resolve(error ? { ok: false, error: { code: "timeout", message: "" } } : ack);
        });
      }),
      send: (event, payload) => socket.volatile.emit(event, payload),
    };
    const host = {
      getText: () => this.text,
      setText: (text, changes) => {
        this.text = text;
        const now = performance.now();
        if (changes) {
          for (const change of changes) this.scan(change.insert, now);
        } else {
          this.scan(text, now);
        }
      },
    };
    this.joined = new Promise((resolve) => { this.onJoined = resolve; });
    this.client = new SyncClient({
      transport, host, doc: opt.doc, lang: opt.lang, mode, push: PUSH,
      debounceMs: 60, minIntervalMs: 60,
      listeners: { onJoined: () => this.onJoined() },
    });
    const ours = (event) => event && event.doc === opt.doc && event.lang === opt.lang;
    socket.on("connect", () => this.client.connected());
    socket.on("disconnect", () => this.client.disconnected());
    socket.on("changed", (event) => { if (ours(event)) this.client.remoteChanged(event.rev); });
    socket.on("edits", (event) => { if (ours(event)) this.client.pushed(event); });
    socket.on("revs", (event) => { if (ours(event)) this.client.revs(event); });
  }

  scan(text, now) {
    if (!text || !text.includes("~")) return;
    for (const match of text.matchAll(TOKEN_RE)) {
      const token = match[0];
      if (this.seen.has(token)) continue;
      this.seen.add(token);
      const info = typed.get(token);
      if (!info || !info.measured || info.by === this.index) continue;
      (this.mode === "edit" ? editorLatency : followerLatency).push(now - info.at);
    }
  }

  type() {
    const text = this.text;
    const marker = `[r${this.index}]`;
    const start = text.indexOf(marker);
    if (start < 0) return;
    let end = text.indexOf("\n\n", start);
    if (end < 0) end = text.length;
    const boundaries = [];
    for (let i = start + marker.length; i < end; i += 1) if (text[i] === " ") boundaries.push(i + 1);
    const at = boundaries.length ? boundaries[Math.floor(random() * boundaries.length)] : end;
    this.counter += 1;
    const token = `~${this.index}.${this.counter}~`;
    const insert = `${token} `;
    this.seen.add(token);
    typed.set(token, { at: performance.now(), by: this.index, measured: measuring });
    this.text = text.slice(0, at) + insert + text.slice(at);
    this.client.localChange([{ from: at, to: at, insert }]);
  }
}

function percentile(values, q) {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort();
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)]);
}

// --- run ---------------------------------------------------------------------------------------

async function main() {
  let url = opt.url;
  let tokens = opt.tokens ? readFileSync(opt.tokens, "utf8").trim().split("\n") : [];
  let started = null;
  if (opt["start-server"]) {
    started = await startServer();
    ({ url, tokens } = started);
    for (const signal of ["SIGINT", "SIGTERM"]) {
      process.on(signal, () => { // never leave the started server behind
        started.server.kill("SIGTERM");
        process.exit(1);
      });
    }
  }
  if (!url) throw new Error("--url or --start-server");
  if (tokens.length < N) throw new Error(`${N} editors need ${N} tokens`);
  const serverPid = started ? started.server.pid : Number(opt["server-pid"] || 0);
  const loadBefore = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

  const editors = Array.from({ length: N }, (_, i) => new Client(url, i, tokens[i], "edit"));
  const followers = Array.from({ length: M }, (_, i) => new Client(url, N + i, null, "follow"));
  const everyone = [...editors, ...followers];
  const connectStarted = performance.now();
  for (let i = 0; i < everyone.length; i += 1) {
    everyone[i].socket.connect();
    if (i % 20 === 19) await sleep(50); // no connect storm
  }
  await Promise.all(everyone.map((c) => c.joined));
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  await sleep(1000);

  // typing
  let typing = true;
  const period = 1000 / RATE;
  const loops = editors.map(async (editor) => {
    await sleep(random() * period);
    while (typing) {
      editor.type();
      await sleep(period * (0.8 + 0.4 * random()));
    }
  });
  await sleep(Number(opt.warmup) * 1000);
  measuring = true;
  const pids = serverPid ? tree(serverPid) : [];
  const cpu0 = cpuSeconds(pids);
  const ownCpu0 = process.cpuUsage();
  const wall0 = performance.now();
  let peakRss = 0;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, rssBytes(pids)); }, 200);
  let spy = null;
  if (opt["py-spy"] && pids.length) {
    const worker = pids[pids.length - 1];
    spy = spawn(join(ROOT, ".venv/bin/py-spy"), ["record", "--pid", String(worker), "--format",
      "raw", "--output", opt["py-spy"], "--duration", String(Number(opt.duration)), "--nonblocking"],
    { stdio: "ignore" });
    spy.exited = new Promise((resolve) => spy.on("exit", resolve)); // it may end before we wait
  }
  await sleep(Number(opt.duration) * 1000);
  measuring = false;
  typing = false;
  await Promise.all(loops);
  const wall = (performance.now() - wall0) / 1000;
  const cpu = (cpuSeconds(pids) - cpu0) / wall;
  const ownCpuUsed = process.cpuUsage(ownCpu0);
  const generatorCpu = (ownCpuUsed.user + ownCpuUsed.system) / 1e6 / wall;
  const typedMeasured = [...typed.values()].filter((t) => t.measured).length;

  // quiet, then convergence against the stored text
  await sleep(Number(opt.quiet) * 1000);
  clearInterval(sampler);
  const response = await fetch(`${url}/api/documents/${opt.doc}/live?lang=${opt.lang}`);
  const stored = (await response.json()).text;
  const diverged = everyone.filter((c) => c.text !== stored).length;
  const storedTokens = new Set([...stored.matchAll(TOKEN_RE)].map((m) => m[0]));
  const missing = [...typed.keys()].filter((t) => !storedTokens.has(t)).length;
  const pushes = editors.reduce((a, c) => ({
    applied: a.applied + c.client.pushes.applied, ignored: a.ignored + c.client.pushes.ignored,
  }), { applied: 0, ignored: 0 });
  const clientFallbacks = everyone.reduce((a, c) => ({
    fuzzy: a.fuzzy + c.client.fuzzyFallbacks, failedHunks: a.failedHunks + c.client.failedHunks,
  }), { fuzzy: 0, failedHunks: 0 });
  for (const c of everyone) c.socket.disconnect();
  if (spy) await spy.exited;

  let engine = null;
  if (started) {
    started.server.kill("SIGTERM");
    await new Promise((resolve) => started.server.on("exit", resolve));
    const line = readFileSync(started.log, "utf8").split("\n").find((l) => l.startsWith("coedit engine stats: "));
    if (line) engine = JSON.parse(line.slice("coedit engine stats: ".length));
  }
  const report = {
    date: new Date().toISOString(), server: started ? opt.server : "external",
    editors: N, followers: M, rate: RATE, push: PUSH,
    duration: Number(opt.duration), loadBefore, connectSeconds: Math.round(connectSeconds * 10) / 10,
    typedPerSecond: Math.round((typedMeasured / Number(opt.duration)) * 10) / 10,
    follower: { p50: percentile(followerLatency, 50), p95: percentile(followerLatency, 95), p99: percentile(followerLatency, 99), samples: followerLatency.length },
    editors_peer: { p50: percentile(editorLatency, 50), p95: percentile(editorLatency, 95), p99: percentile(editorLatency, 99), samples: editorLatency.length },
    sync: { p50: percentile(syncLatency, 50), p95: percentile(syncLatency, 95), p99: percentile(syncLatency, 99), count: syncLatency.length },
    expectedFollowerSamples: typedMeasured * M,
    diverged, clients: everyone.length, tokensTyped: typed.size, missingFromStored: missing,
    serverCpu: Math.round(cpu * 100) / 100, generatorCpu: Math.round(generatorCpu * 100) / 100,
    peakRssMB: Math.round(peakRss / 1048576),
    pushes, clientFallbacks, errors, engine,
  };
  console.log(JSON.stringify(report, null, 1));
  if (opt.json) writeFileSync(opt.json, JSON.stringify(report, null, 1));
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
