// Run with: node --test assets/tests/
import assert from "node:assert/strict";
import { test } from "node:test";

import { SyncClient } from "../js/lib/sync-client.js";
import {
  changesBetween, decodeDelta, diffTexts, makeDelta, wholeCodePoints,
} from "../js/lib/textsync.js";
import { FakeHost, FakeServer, FakeTransport } from "./fake-server.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function makeClient(server, { mode = "edit", listeners = {} } = {}) {
  const transport = new FakeTransport(server);
  const host = new FakeHost();
  const client = new SyncClient({
    transport, host, doc: "d", lang: "en", mode, debounceMs: 1, listeners,
  });
  server.listeners.add(() => client.remoteChanged());
  return { client, transport, host };
}

async function quiet(clients, server) {
  for (let i = 0; i < 1500; i += 1) {
    await sleep(2);
    const busy = clients.some(({ client, host }) => client.inFlight || client.joining
      || client.timer !== null || client.outbox.length || host.text !== client.shadow
      || client.shadow !== server.text);
    if (!busy) return;
  }
  throw new Error("clients did not settle");
}

test("delta helpers never cut a surrogate pair and round-trip", () => {
  const pairs = [
    ["a😀b", "a😁b"], ["😀", "😀😀"], ["x😀", "x"], ["👍🏽 ok", "👍🏿 ok"], ["", "مرحبا 😀"],
    ["e\u0301", "e\u0300"], ["😀😀😀", "😀😁😀"],
  ];
  for (const [a, b] of pairs) {
    const delta = makeDelta(a, b);
    assert.equal(decodeDelta(a, delta).text, b, `${a} -> ${b}`);
    for (const [, text] of diffTexts(a, b)) {
      assert.ok(!/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(text), `split pair in ${a} -> ${b}`);
    }
  }
  // The raw diff of these cuts the pair; the fixed one keeps both texts.
  const fixed = wholeCodePoints([[0, "a\ud83d"], [-1, "\ude00"], [1, "\ude01"], [0, "b"]]);
  assert.deepEqual(fixed, [[0, "a"], [-1, "😀"], [1, "😁"], [0, "b"]]);
});

test("editor changes map old text to new text", () => {
  const a = "The quick brown fox";
  const b = "The slow brown dog!";
  let text = a;
  for (const change of changesBetween(a, b).reverse()) {
    text = text.slice(0, change.from) + change.insert + text.slice(change.to);
  }
  assert.equal(text, b);
});

test("two editors typing at once converge and keep both contributions", async () => {
  const server = new FakeServer("Shared paragraph.");
  const a = makeClient(server);
  const b = makeClient(server);
  a.client.connected();
  b.client.connected();
  await quiet([a, b], server);
  for (let i = 0; i < 20; i += 1) {
    a.host.text = a.host.text.replace("Shared", `Shared${i % 10}`);
    a.client.localChange();
    b.host.text = `${b.host.text} B${i}`;
    b.client.localChange();
    if (i % 3 === 0) await sleep(1);
  }
  await quiet([a, b], server);
  assert.equal(a.host.text, server.text);
  assert.equal(b.host.text, server.text);
  assert.match(server.text, /B19$/);
  assert.match(server.text, /^Shared9/);
});

test("a follower sees the text change and never sends edits", async () => {
  const server = new FakeServer("Start.");
  const editor = makeClient(server);
  const follower = makeClient(server, { mode: "follow" });
  editor.client.connected();
  follower.client.connected();
  await quiet([editor, follower], server);
  follower.host.text = "tampered";
  follower.client.localChange();
  editor.host.text = "Start. More.";
  editor.client.localChange();
  follower.host.text = follower.client.shadow; // the editor is read-only in the page
  await quiet([editor, follower], server);
  assert.equal(follower.host.text, "Start. More.");
  assert.ok(follower.transport.sent.filter(([e]) => e === "sync").every(([, p]) => p.edits.length === 0));
});

test("typing offline reaches the server after reconnecting (resume with client_id)", async () => {
  const server = new FakeServer("Line one.");
  const a = makeClient(server);
  const b = makeClient(server);
  a.client.connected();
  b.client.connected();
  await quiet([a, b], server);
  const id = a.client.clientId;
  a.transport.online = false;
  a.client.disconnected();
  a.host.text += " Typed offline.";
  a.client.localChange();
  b.host.text = `Intro. ${b.host.text}`;
  b.client.localChange();
  await sleep(20);
  assert.ok(!server.text.includes("offline"));
  assert.ok(a.client.hasPending());
  a.transport.online = true;
  a.client.connected();
  await quiet([a, b], server);
  assert.equal(a.client.clientId, id);
  assert.equal(server.text, "Intro. Line one. Typed offline.");
  assert.equal(a.host.text, server.text);
});

test("a lost answer is recovered through the server's backup shadow", async () => {
  const server = new FakeServer("abc");
  const a = makeClient(server);
  const b = makeClient(server);
  a.client.connected();
  b.client.connected();
  await quiet([a, b], server);
  b.host.text = "abc def";
  b.client.localChange();
  await quiet([a, b], server);
  assert.equal(a.host.text, "abc def");
  a.transport.dropNextAnswer = true;
  a.host.text = `x${a.host.text}`;
  a.client.localChange();
  await quiet([a, b], server);
  assert.equal(server.text, "xabc def");
  assert.equal(a.host.text, server.text);
  assert.equal(b.host.text, server.text);
});

for (const [reports, how] of [[true, "told `applied`"], [false, "an older server: a guess"]]) {
  test(`after a server restart (state lost) typing survives without doubling (${how})`, async () => {
    const server = new FakeServer("Alpha beta.");
    server.reportsApplied = reports;
    // The server crashes after storing our edit but before answering.
    const a = await outboxThenStateLost(server, "Alpha beta gamma.", true);
    a.host.text = "Alpha beta gamma delta.";
    a.client.localChange();
    a.transport.online = true;
    a.client.connected();
    await quiet([a], server);
    assert.equal(server.text, "Alpha beta gamma delta.");
    assert.equal(a.host.text, server.text);
  });
}

/** Client `a` joined to `server`, with one edit (`typed`) in its outbox: stored by the server
 * (`reached`) or refused before it got there; then `a` goes offline and the server loses its
 * state. Returns the client. */
async function outboxThenStateLost(server, typed, reached) {
  const a = makeClient(server);
  a.client.connected();
  await quiet([a], server);
  if (reached) {
    a.transport.dropNextAnswer = true; // stored, answer lost: the edit stays in the outbox
  } else {
    let refused = false;
    server.refuse = (event) => {
      if (event !== "sync" || refused) return null;
      refused = true;
      return "timeout"; // lost on the way: the server never saw it
    };
  }
  a.host.text = typed;
  a.client.localChange();
  await sleep(10);
  assert.equal(a.client.outbox.length, 1);
  assert.equal(server.text.includes(typed), reached);
  a.transport.online = false;
  a.client.disconnected();
  server.states.clear(); // restarted, or the state expired
  return a;
}

test("a rejoin told `applied` does not double edits that reached the server", async () => {
  const server = new FakeServer("Tea: ab.");
  const a = await outboxThenStateLost(server, "Tea: ab ab.", true);
  // Another editor, seeing our " ab", deletes ": ab ab": the text is now closer to the one
  // before our edit, and a guess by closeness would send our " ab" again.
  server.text = "Tea.";
  server.rev += 1;
  a.host.text = "Tea: ab ab. Milk."; // typed offline, never sent
  a.client.localChange();
  a.transport.online = true;
  a.client.connected();
  await quiet([a], server);
  assert.equal(a.transport.sent.filter(([e]) => e === "join").length, 2);
  assert.equal(server.text, "Tea. Milk.");
  assert.equal(a.host.text, server.text);
});

test("a rejoin told `applied` carries edits that never reached the server, and the typing", async () => {
  const server = new FakeServer("Tea.");
  const a = await outboxThenStateLost(server, "Tea with milk.", false);
  // Another editor typed something that looks like our unsent edit: a guess by closeness
  // takes our edit for stored and drops it, with the typing inside it.
  server.text = "Tea with mint.";
  server.rev += 1;
  a.host.text = "Tea with oat milk."; // typed offline inside our own edit
  a.client.localChange();
  a.transport.online = true;
  a.client.connected();
  await quiet([a], server);
  assert.ok(
    ["Tea with mint with oat milk.", "Tea with oat milk with mint."].includes(server.text),
    server.text,
  );
  assert.equal(a.host.text, server.text);
  // only n and delta travel: the shadows kept per outbox edit stay in the client
  for (const [event, payload] of a.transport.sent) {
    if (event === "sync") for (const edit of payload.edits) assert.deepEqual(Object.keys(edit), ["n", "delta"]);
  }
});

test("the join answer says `applied` only to a client_id whose state is gone", async () => {
  const server = new FakeServer("Tea.");
  const a = await outboxThenStateLost(server, "Tea for two.", true);
  a.transport.online = true;
  a.client.connected();
  await quiet([a], server);
  const [first, second] = a.transport.sent.filter(([e]) => e === "join").map(([, p]) => p);
  assert.equal(first.client_id, undefined);
  assert.equal(second.client_id, "c1");
  assert.equal(server.text, "Tea for two.");
  assert.equal(server.join({ client_id: "c1", mode: "edit" }).applied, 1);
  assert.equal(server.join({ client_id: "c404", mode: "edit" }).applied, 0);
  assert.equal(server.join({ mode: "edit" }).applied, undefined);
});

test("desync rejoins without client_id and re-applies unsynced typing", async () => {
  const server = new FakeServer("One two three.");
  const a = makeClient(server);
  a.client.connected();
  await quiet([a], server);
  const oldId = a.client.clientId;
  let refused = false;
  server.refuse = (event) => {
    if (event === "sync" && !refused) {
      refused = true;
      server.text = "Zero. One two three.";
      server.rev += 1;
      return "desync";
    }
    return null;
  };
  a.host.text = "One two three four.";
  a.client.localChange();
  await quiet([a], server);
  assert.notEqual(a.client.clientId, oldId);
  const rejoin = a.transport.sent.filter(([e]) => e === "join").at(-1)[1];
  assert.equal(rejoin.client_id, undefined);
  assert.equal(server.text, "Zero. One two three four.");
  assert.equal(a.host.text, server.text);
});

test("typing carried over a rejoin never lands inside another editor's insertion", async () => {
  // While we were offline the server restarted and another editor typed "<0.1😀>" before the
  // final "." and deleted the "."; a plain diff of the two texts keeps the "." as the one
  // inside "<0.1😀>", which put our offline typing inside it.
  const server = new FakeServer("Second paragraph end.");
  const a = makeClient(server);
  a.client.connected();
  await quiet([a], server);
  a.transport.online = false;
  a.client.disconnected();
  server.states.clear();
  server.text = "Second paragraph end<0.1😀>";
  server.rev += 1;
  a.host.text = "Second paragraph end<1.3😀>.";
  a.client.localChange();
  a.transport.online = true;
  a.client.connected();
  await quiet([a], server);
  assert.equal(server.text, "Second paragraph end<1.3😀><0.1😀>");
  assert.equal(a.host.text, server.text);
});

test("forbidden switches to read-only and follows", async () => {
  const server = new FakeServer("Text.");
  let reason = null;
  const a = makeClient(server, { listeners: { onReadOnly: (r) => { reason = r; } } });
  a.client.connected();
  await quiet([a], server);
  server.refuse = (event, payload) => (event === "sync" && payload.edits.length ? "forbidden" : null);
  a.host.text = "Text. Not allowed.";
  a.client.localChange();
  await sleep(30);
  assert.equal(a.client.mode, "follow");
  assert.ok(reason);
  assert.equal(a.host.text, "Text.");
  assert.equal(a.transport.sent.filter(([e]) => e === "join").at(-1)[1].mode, "follow");
});

test("rate_limited backs off and then delivers", async () => {
  const server = new FakeServer("");
  const a = makeClient(server);
  a.client.connected();
  await quiet([a], server);
  let refusals = 2;
  server.refuse = (event) => (event === "sync" && refusals-- > 0 ? "rate_limited" : null);
  a.host.text = "hello";
  a.client.localChange();
  await quiet([a], server);
  assert.equal(server.text, "hello");
  assert.ok(refusals < 0, "both refusals were answered");
});

test("only one sync is in flight at a time", async () => {
  const server = new FakeServer("");
  const a = makeClient(server);
  let inFlight = 0;
  let most = 0;
  const emit = a.transport.emit.bind(a.transport);
  a.transport.emit = async (event, payload) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    await sleep(3);
    const ack = await emit(event, payload);
    inFlight -= 1;
    return ack;
  };
  a.client.connected();
  await quiet([a], server);
  for (let i = 0; i < 30; i += 1) {
    a.host.text += "x";
    a.client.localChange();
    a.client.remoteChanged();
    await sleep(0);
  }
  await quiet([a], server);
  assert.equal(most, 1);
  assert.equal(server.text, "x".repeat(30));
});

test("the replay rebuilds every revision from the log", async () => {
  const { Replay, fetchLog } = await import("../js/lib/replay.js");
  const texts = ["Intro.", "Intro. Body 😀.", "Intro 2. Body 😀.", "Body 😀!"];
  // each edit by another author: one timeslider step each
  const log = texts.map((text, rev) => ({
    rev, delta: makeDelta(rev ? texts[rev - 1] : "", text), user: { id: rev, name: `U${rev}` },
  }));
  const pages = [log.slice(0, 2), log.slice(2), []];
  const seen = [];
  const fetchImpl = async (url) => {
    seen.push(url);
    return { ok: true, json: async () => ({ entries: pages.shift() }) };
  };
  const entries = await fetchLog("/log", "en", { fetchImpl, limit: 2 });
  assert.equal(entries.length, 4);
  assert.match(seen[0], /after=-1/);
  assert.match(seen[1], /after=1/);
  const replay = new Replay(entries);
  texts.forEach((text, index) => assert.equal(replay.textAt(index), text));
  const step = replay.step(3);
  assert.equal(step.before, texts[2]);
  assert.equal(step.text, texts[3]);
  assert.ok(step.diffs.some(([op]) => op === -1) && step.diffs.some(([op]) => op === 1));
});

test("typing before the first join is carried onto the server's newer text", async () => {
  const server = new FakeServer("Para one.\n\nPara two.");
  const a = makeClient(server);
  a.client.seed("Para one.\n\nPara two.", 0);
  a.host.text = "Para one.\n\nPara two. Early typing.";
  a.client.localChange();
  server.text = "Para zero.\n\nPara one.\n\nPara two.";
  a.client.connected();
  await quiet([a], server);
  assert.equal(server.text, "Para zero.\n\nPara one.\n\nPara two. Early typing.");
  assert.equal(a.host.text, server.text);
});

test("syncs are spaced by minIntervalMs", async () => {
  const server = new FakeServer("");
  const transport = new FakeTransport(server);
  const host = new FakeHost();
  const client = new SyncClient({ transport, host, doc: "d", lang: "en", debounceMs: 0, minIntervalMs: 40 });
  client.connected();
  await quiet([{ client, host }], server);
  const times = [];
  const emit = transport.emit.bind(transport);
  transport.emit = (event, payload) => {
    times.push(Date.now());
    return emit(event, payload);
  };
  for (let i = 0; i < 5; i += 1) {
    host.text += "y";
    client.localChange();
    await sleep(5);
  }
  await quiet([{ client, host }], server);
  for (let i = 1; i < times.length; i += 1) assert.ok(times[i] - times[i - 1] >= 35, times);
  assert.equal(server.text, "yyyyy");
});

test("the replay seeks across checkpoints", async () => {
  const { Replay } = await import("../js/lib/replay.js");
  const texts = [];
  let text = "";
  for (let i = 0; i < 130; i += 1) {
    text = i % 7 === 0 ? text.slice(3) : `${text}w${i} `;
    texts.push(text);
  }
  const log = texts.map((t, rev) => ({ rev, delta: makeDelta(rev ? texts[rev - 1] : "", t) }));
  const replay = new Replay(log.slice().reverse());
  for (const index of [0, 49, 50, 51, 99, 100, 129, 77]) assert.equal(replay.textAt(index), texts[index]);
  assert.equal(replay.textAt(-1), "");
});

test("a push follower rejoins after `changed` only when no `revs` brought it there", async () => {
  const server = { text: "One.", rev: 1, joins: 0 };
  const transport = {
    async emit(event) {
      if (event !== "join") return { ok: false, error: { code: "bad_request" } };
      server.joins += 1;
      return { ok: true, client_id: "f", text: server.text, rev: server.rev, n: 0, m: 0, push: true };
    },
    send() {},
    isConnected: () => true,
  };
  const due = [];
  const timers = {
    setTimeout: (fn) => due.push(fn),
    clearTimeout() {},
  };
  const runTimers = async () => {
    while (due.length) due.shift()();
    await sleep(1);
  };
  const host = new FakeHost();
  const client = new SyncClient({ transport, host, doc: "d", lang: "en", mode: "follow", timers });
  client.connected();
  await sleep(1);
  assert.equal(host.text, "One.");
  // One process: `revs` follows `changed` in the same window, so no rejoin.
  client.remoteChanged(2);
  assert.ok(client.revs({ from: 1, to: 2, delta: makeDelta("One.", "One. Two.") }));
  server.text = "One. Two.";
  server.rev = 2;
  await runTimers();
  assert.equal(server.joins, 1);
  assert.equal(host.text, "One. Two.");
  // Another process stored rev 3: `changed` arrives, its `revs` never does; the follower rejoins.
  server.text = "One. Two. Three.";
  server.rev = 3;
  client.remoteChanged(3);
  client.remoteChanged(3);
  await runTimers();
  assert.equal(server.joins, 2);
  assert.equal(host.text, "One. Two. Three.");
  assert.equal(client.rev, 3);
  await runTimers();
  assert.equal(server.joins, 2);
});
