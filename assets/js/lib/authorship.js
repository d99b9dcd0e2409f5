// Who wrote which part of a live text: the edit log replayed into runs of characters by author.
// Positions count UTF-16 code units, as CodeMirror and the deltas do.
import { DIFF_DELETE, DIFF_INSERT, decodeDelta } from "./textsync.js";

export class Authorship {
  constructor() {
    this.text = "";
    this.rev = -1;
    this.runs = []; // [{length, user: {id, name, group} | null}], covering the text in order
  }

  /** Apply log entries (in rev order) that follow the current rev; older ones are skipped. */
  apply(entries) {
    for (const entry of entries) {
      if (entry.rev <= this.rev) continue;
      if (entry.rev !== this.rev + 1 && this.rev >= 0) throw new Error(`rev ${entry.rev} after ${this.rev}`);
      const { diffs, text } = decodeDelta(this.text, entry.delta);
      this.runs = carryRuns(this.runs, diffs, entry.user || null);
      this.text = text;
      this.rev = entry.rev;
    }
    return this;
  }

  /** [{from, to, user}] of text written by someone (the starting text has no author). */
  spans() {
    const spans = [];
    let at = 0;
    for (const run of this.runs) {
      if (run.user) {
        const last = spans[spans.length - 1];
        if (last && last.to === at && last.user.id === run.user.id) last.to += run.length;
        else spans.push({ from: at, to: at + run.length, user: run.user });
      }
      at += run.length;
    }
    return spans;
  }

  /** The authors of the current text, with how many characters each wrote, most first. */
  authors() {
    const byId = new Map();
    for (const span of this.spans()) {
      const known = byId.get(span.user.id) || { user: span.user, length: 0 };
      known.length += span.to - span.from;
      byId.set(span.user.id, known);
    }
    return [...byId.values()].sort((a, b) => b.length - a.length);
  }
}

/** The runs of the text before `diffs` carried to the text after: kept, cut, or new by `user`. */
export function carryRuns(runs, diffs, user) {
  const out = [];
  const push = (length, who) => {
    if (!length) return;
    const last = out[out.length - 1];
    if (last && (last.user?.id ?? null) === (who?.id ?? null)) last.length += length;
    else out.push({ length, user: who });
  };
  let index = 0;
  let offset = 0; // within runs[index]
  const take = (length, keep) => {
    while (length > 0 && index < runs.length) {
      const run = runs[index];
      const n = Math.min(length, run.length - offset);
      if (keep) push(n, run.user);
      offset += n;
      length -= n;
      if (offset === run.length) {
        index += 1;
        offset = 0;
      }
    }
  };
  for (const [op, data] of diffs) {
    if (op === DIFF_INSERT) push(data.length, user);
    else take(data.length, op !== DIFF_DELETE);
  }
  return out;
}
