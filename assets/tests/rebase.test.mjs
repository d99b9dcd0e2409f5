// Exact rebase of concurrent edits in the browser's sync client. Run with: npm test
import assert from "node:assert/strict";
import { test } from "node:test";

import { SyncClient } from "../js/lib/sync-client.js";
import {
  carry, compose, createDmp, decodeDelta, diffEnds, diffFromChanges, rebase,
} from "../js/lib/textsync.js";
import { FakeHost, FakeServer, FakeTransport } from "./fake-server.mjs";

const dmp = createDmp();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** An exact diff of one change {from, to, insert} to `base`. */
const edit = (base, from, to, insert) => diffFromChanges(base, [{ from, to, insert }]);

/** Both ways of carrying `mine` over `theirs` (mine later), checked to end at the same text. */
function merged(mine, theirs) {
  const { local, changes } = carry(mine, theirs);
  assert.equal(diffEnds(local)[0], diffEnds(theirs)[1], "rebased local starts at theirs' text");
  assert.equal(diffEnds(changes)[0], diffEnds(mine)[1], "editor changes start at the local text");
  return diffEnds(local)[1];
}

/** A client whose editor is a FakeHost, joined by hand (no transport traffic needed). */
function standalone(text) {
  const host = new FakeHost();
  host.text = text;
  const transport = { isConnected: () => false, emit: async () => null, send() {} };
  const client = new SyncClient({ transport, host, doc: "d", lang: "en", debounceMs: 1000 });
  client.seed(text, 0);
  client.timers = { setTimeout: () => 0, clearTimeout() {} }; // keep syncs from running
  return { client, host };
}

/** The server's edit (shadow -> text) as the delta it sends. */
const serverDelta = (diffs) => dmp.diff_toDelta(diffs);

test("concurrent insertions at one place never nest, whatever characters they repeat", () => {
  const cases = [
    ["The cat.", 3, " black", " big"],
    ["aa", 1, "aba", "bab"],
    ["x", 0, "xxyx", "xyxx"],
    ["", 0, "Hello", "Help"],
    ["- item\n", 7, "- one\n", "- on\n"],
  ];
  for (const [base, at, mine, theirs] of cases) {
    const text = merged(edit(base, at, at, mine), edit(base, at, at, theirs));
    // the earlier (server's) insertion first, then the local one, each whole
    assert.equal(text, base.slice(0, at) + theirs + mine + base.slice(at), `${base} @${at}`);
  }
});

test("the browser client keeps unsynced typing whole and the cursor after it", () => {
  const { client, host } = standalone("Our aim is to share.");
  host.select(11);
  client.localChange(host.type("to act "));
  client.localChange(host.type("and "));
  assert.equal(host.text, "Our aim is to act and to share.");
  // Another editor's insertion at the same place reaches the server first.
  const base = "Our aim is to share.";
  assert.ok(client.applyServerEdit(serverDelta(edit(base, 11, 11, "to talk and "))));
  assert.equal(host.text, "Our aim is to talk and to act and to share.");
  assert.equal(client.shadow, "Our aim is to talk and to share.");
  assert.equal(host.head, "Our aim is to talk and to act and ".length, "the caret stays right after what this user typed");
  assert.equal(host.exactChanges, 1);
  assert.equal(host.wholeTexts, 0);
  assert.equal(client.fuzzyFallbacks, 0);
  // What is sent next is exactly this user's insertion against the new shadow.
  const { diffs } = decodeDelta(client.shadow, dmp.diff_toDelta(client.localDiff(host.text)));
  assert.deepEqual(diffs.filter(([op]) => op !== 0), [[1, "to act and "]]);
});

test("an insertion inside a region deleted concurrently", () => {
  const base = "one two three";
  // theirs (earlier, on the server) inserted inside the word that the local user deleted:
  // it goes with the region, as on the server.
  assert.equal(merged(edit(base, 4, 8, ""), edit(base, 5, 5, "X")), "one three");
  // the local user typed inside the word the server deleted: the typing survives in its place.
  assert.equal(merged(edit(base, 5, 5, "X"), edit(base, 4, 8, "")), "one Xthree");
  // at the region's edge an insertion is not inside it, and survives.
  assert.equal(merged(edit(base, 4, 8, ""), edit(base, 4, 4, "Y")), "one Ythree");
  assert.equal(merged(edit(base, 4, 8, ""), edit(base, 8, 8, "Y")), "one Ythree");
});

test("overlapping and identical deletions delete each character once", () => {
  const base = "abcdefgh";
  assert.equal(merged(edit(base, 2, 6, ""), edit(base, 4, 8, "")), "ab");
  assert.equal(merged(edit(base, 4, 8, ""), edit(base, 2, 6, "")), "ab");
  assert.equal(merged(edit(base, 1, 7, ""), edit(base, 3, 4, "")), "ah");
  assert.equal(merged(edit(base, 3, 4, ""), edit(base, 1, 7, "")), "ah");
  assert.equal(merged(edit(base, 2, 5, "XY"), edit(base, 2, 5, "")), "abXYfgh");
  // a replacement against a deletion covering it
  assert.equal(merged(edit(base, 2, 5, "Z"), edit(base, 0, 8, "")), "Z");
});

test("emoji, combining marks and right-to-left text rebase on whole code points", () => {
  const base = "مرحبا 😀 café\u0301 👍🏽!";
  const emoji = base.indexOf("😀");
  const thumb = base.indexOf("👍");
  const mine = compose(
    edit(base, emoji + 2, emoji + 2, "😁"),
    edit(base.slice(0, emoji + 2) + "😁" + base.slice(emoji + 2), 0, 0, "שלום "),
  );
  const theirs = edit(base, thumb, thumb + 4, "👍🏿");
  const text = merged(mine, theirs);
  assert.equal(text, "שלום مرحبا 😀😁 café\u0301 👍🏿!");
  assert.ok(!LONE.test(text));
  // through the client: the delta it sends decodes on the server's side to whole code points
  const { client, host } = standalone(base);
  host.select(emoji + 2);
  client.localChange(host.type("🎉"));
  assert.ok(client.applyServerEdit(serverDelta(theirs)));
  assert.equal(host.text, "مرحبا 😀🎉 café\u0301 👍🏿!");
  const delta = dmp.diff_toDelta(client.localDiff(host.text));
  const decoded = decodeDelta(client.shadow, delta);
  assert.equal(decoded.text, host.text);
  for (const [, part] of decoded.diffs) assert.ok(!LONE.test(part), JSON.stringify(part));
});

test("rebase is exact both ways on random edits", () => {
  const random = prng(7);
  const alphabet = ["a", "b", " ", "😀", "é", "\u0301", "ب", "\n"];
  for (let round = 0; round < 400; round += 1) {
    let base = "";
    for (let i = random.int(12); i > 0; i -= 1) base += random.pick(alphabet);
    const change = () => {
      const from = random.int(base.length + 1);
      const to = Math.min(base.length, from + random.int(4));
      let insert = "";
      for (let i = random.int(3); i > 0; i -= 1) insert += random.pick(alphabet);
      return edit(base, from, to, insert);
    };
    const a = change();
    const b = change();
    const ab = diffEnds(rebase(a, b, false))[1];
    const ba = diffEnds(rebase(b, a, true))[1];
    assert.equal(ab, ba, JSON.stringify({ base, a, b }));
    // each inserted run of the two sides survives whole, unless the other side deleted around it
    assert.equal(diffEnds(rebase(a, b, false))[0], diffEnds(b)[1]);
  }
});

// --- end to end, against the fake server (exact like the real one) ---------------------------

function makeClient(server, options = {}) {
  const transport = new FakeTransport(server);
  const host = new FakeHost();
  const client = new SyncClient({ transport, host, doc: "d", lang: "en", debounceMs: 1, ...options });
  server.listeners.add(() => client.remoteChanged());
  return { client, transport, host };
}

async function quiet(clients, server) {
  for (let i = 0; i < 3000; i += 1) {
    await sleep(2);
    const busy = clients.some(({ client, host }) => client.inFlight || client.joining
      || client.timer !== null || client.outbox.length || host.text !== client.shadow
      || client.shadow !== server.text);
    if (!busy) return;
  }
  throw new Error("clients did not settle");
}

/** Slow every answer down so that typing happens while a sync is in flight. */
function slow(transport, random) {
  const emit = transport.emit.bind(transport);
  transport.emit = async (event, payload, timeout) => {
    await sleep(random.int(6));
    const ack = await emit(event, payload, timeout);
    await sleep(random.int(6));
    return ack;
  };
}

test("editors typing at one place at once: every insertion stays whole", async () => {
  const server = new FakeServer("Start.|End.");
  const random = prng(11);
  const clients = [0, 1, 2].map(() => makeClient(server));
  for (const c of clients) {
    slow(c.transport, random);
    c.client.connected();
  }
  await quiet(clients, server);
  const typed = [];
  for (let round = 0; round < 12; round += 1) {
    for (const [index, c] of clients.entries()) {
      // each types a token that repeats the others' characters, at the shared boundary
      const token = `|x${index}x${round}x`;
      c.host.select(c.host.text.indexOf("|End."));
      c.client.localChange(c.host.type(token));
      typed.push(token);
    }
    await sleep(random.int(5));
  }
  await quiet(clients, server);
  for (const c of clients) assert.equal(c.host.text, server.text);
  for (const token of typed) assert.ok(server.text.includes(token), `${token} in ${server.text}`);
  assert.equal(server.text.length, "Start.|End.".length + typed.join("").length);
  assert.equal(server.stats.fuzzy, 0);
  assert.ok(clients.every(({ client }) => client.fuzzyFallbacks === 0));
});

async function randomEditing(seed, { drops }) {
  const random = prng(seed);
  const server = new FakeServer("Draft 😀 text.\n\nمرحبا بالعالم\n\nCafe\u0301 👍🏽 end.");
  const clients = [0, 1, 2, 3].map(() => makeClient(server));
  for (const c of clients) {
    slow(c.transport, random);
    c.client.connected();
  }
  await quiet(clients, server);
  const words = ["word ", "😀", "👍🏿", "e\u0301", "سلام ", "\n", "x", "שלום "];
  for (let step = 0; step < 240; step += 1) {
    const c = random.pick(clients);
    const text = c.host.text;
    const roll = random.int(10);
    if (roll < 6) {
      c.host.select(boundary(text, random.int(text.length + 1)));
      c.client.localChange(c.host.type(random.pick(words)));
    } else if (roll < 9 && text.length) {
      const from = boundary(text, random.int(text.length));
      const to = boundary(text, Math.min(text.length, from + 1 + random.int(6)));
      c.host.select(from, to);
      c.client.localChange(c.host.type(roll === 8 ? random.pick(words) : ""));
    } else if (roll === 9) {
      // an edit the editor does not describe (a paste by script): found by diffing
      c.host.text = `${text} tail`;
      c.client.localChange();
    }
    if (drops && random.int(4) === 0) c.transport.dropNextAnswer = random.int(8) === 0;
    if (random.int(3) === 0) await sleep(random.int(4));
  }
  for (const c of clients) c.transport.dropNextAnswer = false;
  await quiet(clients, server);
  for (const c of clients) {
    assert.equal(c.host.text, server.text);
    assert.equal(c.client.shadow, server.text);
  }
  assert.ok(!LONE.test(server.text), "no half of a surrogate pair");
  assert.equal(server.stats.splitPairs, 0, "no delta cut a surrogate pair");
  return { server, clients };
}

test("randomized editing converges with the fake server and never splits a pair", async () => {
  for (const seed of [2026, 7, 99]) {
    const { server, clients } = await randomEditing(seed, { drops: false });
    // exact rebase on both ends did all the work
    assert.ok(server.stats.exact > 0);
    assert.equal(server.stats.fuzzy, 0);
    assert.equal(server.stats.failedHunks, 0);
    assert.ok(clients.every(({ client }) => client.fuzzyFallbacks === 0 && client.failedHunks === 0));
  }
});

test("randomized editing with lost answers still converges", async () => {
  // A lost answer makes the server restore its backup shadow, whose rev is unknown: there the
  // protocol falls back to fuzzy patching (counted), and the texts still converge.
  for (const seed of [5, 31]) {
    const { server } = await randomEditing(seed, { drops: true });
    assert.ok(server.stats.exact > 0);
  }
});

/** A position not in the middle of a surrogate pair. */
function boundary(text, pos) {
  const code = text.charCodeAt(pos);
  return pos > 0 && code >= 0xdc00 && code <= 0xdfff ? pos - 1 : pos;
}

/** A small seeded generator (mulberry32), so that a failure replays. */
function prng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}
