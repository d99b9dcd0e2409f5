// Replaying a live text's edit log: rev 0 is the initial text as a delta from "", each further
// entry a delta from the text at the previous rev. Checkpoints keep seeking cheap without
// holding every revision's text in memory.
import { decodeDelta } from "./textsync.js";
import { _ } from "./i18n.js";

const CHECKPOINT_MIN_SPACING = 50;
const MAX_CHECKPOINTS = 200; // bounds memory on long sessions

export class Replay {
  constructor(entries) {
    this.entries = entries.slice().sort((a, b) => a.rev - b.rev);
    this.checkpoints = new Map(); // index -> text after entries[index]
    this.spacing = Math.max(CHECKPOINT_MIN_SPACING, Math.ceil(this.entries.length / MAX_CHECKPOINTS));
    let text = "";
    this.entries.forEach((entry, index) => {
      text = decodeDelta(text, entry.delta).text;
      if (index % this.spacing === 0) {
        this.checkpoints.set(index, text);
      }
    });
  }

  get length() {
    return this.entries.length;
  }

  /** The text after applying entries[0..index]; "" before the first. */
  textAt(index) {
    if (index < 0) return "";
    const start = index - (index % this.spacing);
    let text = this.checkpoints.get(start);
    for (let i = start + 1; i <= index; i += 1) text = decodeDelta(text, this.entries[i].delta).text;
    return text;
  }

  /** The step that made entries[index]: its entry, its diff from the text before, the text after. */
  step(index) {
    const before = this.textAt(index - 1);
    const { diffs, text } = decodeDelta(before, this.entries[index].delta);
    return { entry: this.entries[index], diffs, before, text };
  }
}

/** Fetch the whole log, page by page (`after` is exclusive, rev 0 included). */
export async function fetchLog(url, lang, { fetchImpl = fetch, limit = 500 } = {}) {
  const entries = [];
  let after = -1;
  for (;;) {
    const params = new URLSearchParams({ lang, after: String(after), limit: String(limit) });
    const response = await fetchImpl(`${url}?${params}`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(_("The edit log could not be loaded (%(status)s).", { status: response.status }));
    const body = await response.json();
    const page = body.entries || [];
    if (!page.length) break;
    entries.push(...page);
    const last = page[page.length - 1].rev;
    if (last <= after) break;
    after = last;
    if (page.length < limit) break;
  }
  return entries;
}
