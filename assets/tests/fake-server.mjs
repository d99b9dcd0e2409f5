// A small in-memory server following docs/coedit-protocol.md step by step, to test the browser's
// sync client.
// Like the real server, a client's edits are rebased exactly over the stored changes since its
// shadow's rev (concurrent insertions never nest); fuzzy patching is the counted fallback, used
// when that rev is unknown (a restored backup, or a test that sets `text` by hand).
import {
  compose, createDmp, diffEnds, hasLoneSurrogate, makeDelta, rebase, sameDiff,
} from "../js/lib/textsync.js";

const dmp = createDmp();
const LONE = /^[\udc00-\udfff]|[\ud800-\udbff]$/;

export class FakeServer {
  constructor(text = "") {
    this.text = text;
    this.rev = 0;
    this.steps = new Map(); // rev -> exact diff from the text at rev - 1
    this.states = new Map();
    this.nextId = 1;
    this.listeners = new Set();
    this.refuse = null; // (event, payload) -> error code or null
    // The edit log's client and n per stored change, told on a rejoin whose state is gone as
    // `applied` (false: a server older than that, which says nothing).
    this.clientLog = [];
    this.reportsApplied = true;
    this.stats = { exact: 0, fuzzy: 0, failedHunks: 0, splitPairs: 0 };
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
    let applied = null;
    if (clientId && mode === "edit" && this.reportsApplied) {
      applied = Math.max(0, ...this.clientLog.filter((e) => e.clientId === clientId).map((e) => e.n));
    }
    const id = `c${this.nextId++}`;
    this.states.set(id, {
      shadow: this.text, rev: this.rev, n: 0, m: 0,
      backup: { text: this.text, m: 0, rev: this.rev }, outbox: [], mode,
    });
    return {
      ok: true, client_id: id, text: this.text, rev: this.rev, n: 0, m: 0, peers: [],
      ...(applied === null ? {} : { applied }),
    };
  }

  /** The exact diff from `baseText` (the text at `baseRev`) to the current text, or null. */
  since(baseRev, baseText) {
    let diffs = sameDiff(baseText);
    try {
      for (let r = baseRev + 1; r <= this.rev; r += 1) {
        if (!this.steps.has(r)) return null;
        diffs = compose(diffs, this.steps.get(r));
      }
    } catch {
      return null;
    }
    const [from, to] = diffEnds(diffs);
    return from === baseText && to === this.text ? diffs : null;
  }

  sync({ m, edits }, clientId) {
    const s = this.states.get(clientId);
    if (!s) return { ok: false, error: { code: "desync", message: "unknown client" } };
    s.outbox = s.outbox.filter((e) => e.m >= m);
    if (m !== s.m) {
      if (m === s.backup.m) {
        s.shadow = s.backup.text;
        s.rev = s.backup.rev;
        s.m = s.backup.m;
        s.outbox = [];
      } else {
        return { ok: false, error: { code: "desync", message: "m mismatch" } };
      }
    }
    const before = this.text;
    const baseRev = s.rev;
    const baseText = s.shadow;
    let own = null;
    const patches = [];
    for (const edit of edits) {
      if (edit.n < s.n) continue;
      if (edit.n > s.n) return { ok: false, error: { code: "desync", message: "n gap" } };
      let diffs;
      try {
        diffs = dmp.diff_fromDelta(s.shadow, edit.delta);
      } catch {
        return { ok: false, error: { code: "desync", message: "bad delta" } };
      }
      const next = dmp.diff_text2(diffs);
      if (diffs.some(([, part]) => LONE.test(part))) this.stats.splitPairs += 1;
      if (next !== s.shadow) {
        patches.push(dmp.patch_make(s.shadow, diffs));
        own = own === null ? diffs : compose(own, diffs);
        s.shadow = next;
        s.rev = null;
      }
      s.n += 1;
    }
    let answer = null;
    if (patches.length) {
      const since = baseRev === null || own === null ? null : this.since(baseRev, baseText);
      let step = null;
      if (since) {
        step = rebase(own, since, false);
        answer = rebase(since, own, true);
        this.stats.exact += 1;
      } else {
        let text = this.text;
        for (const patch of patches) {
          for (const hunk of patch) {
            const [result, [ok]] = dmp.patch_apply([hunk], text);
            // a hunk that fails or would cut a surrogate pair is counted, not applied
            if (!ok || hasLoneSurrogate(result)) this.stats.failedHunks += 1;
            else text = result;
          }
        }
        this.stats.fuzzy += 1;
        step = dmp.diff_main(this.text, text);
      }
      const next = diffEnds(step)[1];
      if (next !== this.text) {
        this.rev += 1;
        this.steps.set(this.rev, step);
        this.text = next;
        this.clientLog.push({ clientId, n: s.n });
      }
    }
    s.backup = { text: s.shadow, m: s.m, rev: s.rev };
    if (this.text !== before) {
      for (const listener of this.listeners) listener(this.rev);
    }
    if (s.shadow !== this.text) {
      const exact = answer && diffEnds(answer)[0] === s.shadow && diffEnds(answer)[1] === this.text;
      s.outbox.push({ m: s.m, delta: exact ? dmp.diff_toDelta(answer) : makeDelta(s.shadow, this.text) });
      s.shadow = this.text;
      s.m += 1;
    }
    s.rev = this.rev;
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

/**
 * An editor stand-in: text plus a selection (anchor, head) that is mapped through the changes
 * the client gives (a position at an insertion point stays before it, as in CodeMirror).
 */
export class FakeHost {
  constructor() {
    this.text = "";
    this.anchor = 0;
    this.head = 0;
    this.exactChanges = 0;
    this.wholeTexts = 0;
  }

  getText() {
    return this.text;
  }

  setText(text, changes) {
    if (changes) {
      let out = "";
      let pos = 0;
      for (const { from, to, insert } of changes) {
        out += this.text.slice(pos, from) + insert;
        pos = to;
      }
      out += this.text.slice(pos);
      if (out !== text) throw new Error("the changes do not make the text");
      this.anchor = mapPos(this.anchor, changes);
      this.head = mapPos(this.head, changes);
      this.exactChanges += 1;
    } else {
      this.wholeTexts += 1;
      this.anchor = Math.min(this.anchor, text.length);
      this.head = Math.min(this.head, text.length);
    }
    this.text = text;
  }

  /** Type `value` over the selection, as an editor does, and return the change made. */
  type(value) {
    const from = Math.min(this.anchor, this.head);
    const to = Math.max(this.anchor, this.head);
    this.text = this.text.slice(0, from) + value + this.text.slice(to);
    this.anchor = this.head = from + value.length;
    return [{ from, to, insert: value }];
  }

  select(anchor, head = anchor) {
    this.anchor = anchor;
    this.head = head;
  }
}

function mapPos(pos, changes) {
  let shift = 0;
  for (const { from, to, insert } of changes) {
    if (from >= pos) break; // at an insertion point the position stays before it
    if (to <= pos) shift += insert.length - (to - from);
    else return from + shift; // inside a replaced range: to its start
  }
  return pos + shift;
}
