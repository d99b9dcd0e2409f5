// Replaying a live text's edit log: rev 0 is the initial text as a delta from "", each further
// entry a delta from the text at the previous rev. Checkpoints keep seeking cheap without
// holding every revision's text in memory. The timeslider moves by *steps*: one author's edits
// until another author's edit or a pause, not one step per keystroke.
import { decodeDelta, diffTexts } from "./textsync.js";
import { _ } from "./i18n.js";

export const PAUSE_MS = 5_000;

/** [{start, end}] (entry indexes, inclusive): runs of one author without a pause of PAUSE_MS. */
export function groupEdits(entries, pauseMs = PAUSE_MS) {
  const groups = [];
  let previous = null;
  entries.forEach((entry, index) => {
    const who = entry.user ? entry.user.id : null;
    const at = entry.created_at ? Date.parse(entry.created_at) : NaN;
    const last = groups[groups.length - 1];
    const same = previous && entry.rev !== 0 && previous.rev !== 0 && previous.who === who
      && !(at - previous.at > pauseMs);
    if (same) last.end = index;
    else groups.push({ start: index, end: index });
    previous = { who, at, rev: entry.rev };
  });
  return groups;
}

const CHECKPOINT_MIN_SPACING = 50;
const MAX_CHECKPOINTS = 200; // bounds memory on long sessions

export class Replay {
  constructor(entries, { pauseMs = PAUSE_MS } = {}) {
    this.entries = entries.slice().sort((a, b) => a.rev - b.rev);
    this.groups = groupEdits(this.entries, pauseMs);
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

  /** The number of steps (grouped edits). */
  get length() {
    return this.groups.length;
  }

  /** The text after applying entries[0..index]; "" before the first. */
  textAt(index) {
    if (index < 0) return "";
    const start = index - (index % this.spacing);
    let text = this.checkpoints.get(start);
    for (let i = start + 1; i <= index; i += 1) text = decodeDelta(text, this.entries[i].delta).text;
    return text;
  }

  /** Step `index`: its first and last entry, how many edits, its diff, the text before and after,
   * and the rev the step starts from (-1 before the first entry). */
  step(index) {
    const { start, end } = this.groups[index];
    const before = this.textAt(start - 1);
    let diffs;
    let text;
    if (start === end) {
      ({ diffs, text } = decodeDelta(before, this.entries[start].delta));
    } else {
      text = this.textAt(end);
      diffs = diffTexts(before, text);
    }
    const entry = this.entries[start];
    const fromRev = start > 0 ? this.entries[start - 1].rev : -1;
    return { entry, last: this.entries[end], edits: end - start + 1, diffs, before, text, fromRev };
  }
}

/** Fetch the whole log, page by page (`after` is exclusive, rev 0 included). */
export async function fetchLog(url, lang, { fetchImpl = fetch, limit = 500, after: from = -1 } = {}) {
  const entries = [];
  let after = from;
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
