// A small in-memory server following COEDIT.md step by step, to test the browser's sync client.
import { createDmp } from "../js/lib/textsync.js";
import { makeDelta } from "../js/lib/textsync.js";

const dmp = createDmp();

export class FakeServer {
  constructor(text = "") {
    this.text = text;
    this.rev = 0;
    this.states = new Map();
    this.nextId = 1;
    this.listeners = new Set();
    this.refuse = null; // (event, payload) -> error code or null
  }

  handle(event, payload, clientState) {
    const code = this.refuse?.(event, payload);
    if (code) return { ok: false, error: { code, message: `refused: ${code}` } };
    if (event === "join") return this.join(payload);
    if (event === "sync") return this.sync(payload, clientState);
    return { ok: true };
  }

  join({ client_id: clientId, mode }) {
    if (clientId && this.states.has(clientId)) {
      const s = this.states.get(clientId);
      return { ok: true, client_id: clientId, text: s.shadow, rev: this.rev, n: s.n, m: s.m, peers: [] };
    }
    const id = `c${this.nextId++}`;
    this.states.set(id, {
      shadow: this.text, n: 0, m: 0, backup: { text: this.text, m: 0 }, outbox: [], mode,
    });
    return { ok: true, client_id: id, text: this.text, rev: this.rev, n: 0, m: 0, peers: [] };
  }

  sync({ m, edits }, clientId) {
    const s = this.states.get(clientId);
    if (!s) return { ok: false, error: { code: "desync", message: "unknown client" } };
    s.outbox = s.outbox.filter((e) => e.m >= m);
    if (m !== s.m) {
      if (m === s.backup.m) {
        s.shadow = s.backup.text;
        s.m = s.backup.m;
        s.outbox = [];
      } else {
        return { ok: false, error: { code: "desync", message: "m mismatch" } };
      }
    }
    const before = this.text;
    for (const edit of edits) {
      if (edit.n < s.n) continue;
      if (edit.n > s.n) return { ok: false, error: { code: "desync", message: "n gap" } };
      let diffs;
      try {
        diffs = dmp.diff_fromDelta(s.shadow, edit.delta);
      } catch {
        return { ok: false, error: { code: "desync", message: "bad delta" } };
      }
      const patches = dmp.patch_make(s.shadow, diffs);
      s.shadow = dmp.diff_text2(diffs);
      s.n += 1;
      this.text = dmp.patch_apply(patches, this.text)[0];
    }
    s.backup = { text: s.shadow, m: s.m };
    if (this.text !== before) {
      this.rev += 1;
      for (const listener of this.listeners) listener(this.rev);
    }
    if (s.shadow !== this.text) {
      s.outbox.push({ m: s.m, delta: makeDelta(s.shadow, this.text) });
      s.shadow = this.text;
      s.m += 1;
    }
    return { ok: true, n: s.n, edits: s.outbox.slice(), rev: this.rev };
  }
}

/** A transport to the fake server; `drop` loses answers, `offline` refuses to send. */
export class FakeTransport {
  constructor(server) {
    this.server = server;
    this.clientId = null;
    this.online = true;
    this.dropNextAnswer = false;
    this.sent = [];
  }

  isConnected() {
    return this.online;
  }

  async emit(event, payload) {
    await Promise.resolve();
    const copy = JSON.parse(JSON.stringify(payload));
    this.sent.push([event, copy]);
    const ack = this.server.handle(event, copy, this.clientId);
    if (event === "join" && ack.ok) this.clientId = ack.client_id;
    if (this.dropNextAnswer) {
      this.dropNextAnswer = false;
      return { ok: false, error: { code: "timeout", message: "" } };
    }
    return JSON.parse(JSON.stringify(ack));
  }

  send(event, payload) {
    this.sent.push([event, payload]);
  }
}

/** An editor stand-in: text plus a cursor that is mapped through remote changes. */
export class FakeHost {
  constructor() {
    this.text = "";
  }

  getText() {
    return this.text;
  }

  setText(text) {
    this.text = text;
  }
}
