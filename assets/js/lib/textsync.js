// diff-match-patch helpers shared by the live editor and the replay: deltas in UTF-16 code units.
import DiffMatchPatch from "diff-match-patch";

export const DIFF_DELETE = -1;
export const DIFF_INSERT = 1;
export const DIFF_EQUAL = 0;

export function createDmp() {
  const dmp = new DiffMatchPatch();
  // A keystroke diff is instant; the bound only matters for huge pastes, where a coarser diff
  // is still a correct one.
  dmp.Diff_Timeout = 0.5;
  return dmp;
}

const dmp = createDmp();

const isHigh = (code) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Move diff boundaries off the middle of surrogate pairs.
 *
 * diff_main works on UTF-16 code units and may cut an emoji in two; diff_toDelta then
 * percent-encodes a lone surrogate and throws. Moving the shared half of the pair into the
 * edited run on both sides keeps text1 and text2 exactly as they were.
 */
export function wholeCodePoints(diffs) {
  const out = diffs.map(([op, text]) => [op, text]);
  for (let i = 0; i < out.length; i += 1) {
    if (out[i][0] !== DIFF_EQUAL) continue;
    const text = out[i][1];
    // A trailing high surrogate belongs to the edit run that follows.
    if (text.length && isHigh(text.charCodeAt(text.length - 1)) && i + 1 < out.length) {
      const half = text.slice(-1);
      out[i][1] = text.slice(0, -1);
      prefixRun(out, i + 1, half);
    }
    const current = out[i][1];
    // A leading low surrogate belongs to the edit run that precedes.
    if (current.length && isLow(current.charCodeAt(0)) && i > 0) {
      const half = current.slice(0, 1);
      out[i][1] = current.slice(1);
      i += suffixRun(out, i - 1, half);
    }
  }
  return mergeRuns(out.filter(([, text]) => text.length > 0));
}

function runBounds(diffs, index, step) {
  let j = index;
  while (j >= 0 && j < diffs.length && diffs[j][0] !== DIFF_EQUAL) j += step;
  return j;
}

function prefixRun(diffs, start, half) {
  const end = runBounds(diffs, start, 1);
  const run = diffs.slice(start, end);
  let del = run.find((d) => d[0] === DIFF_DELETE);
  let ins = run.find((d) => d[0] === DIFF_INSERT);
  if (!del) diffs.splice(start, 0, (del = [DIFF_DELETE, ""]));
  if (!ins) diffs.splice(start + 1, 0, (ins = [DIFF_INSERT, ""]));
  del[1] = half + del[1];
  ins[1] = half + ins[1];
}

function suffixRun(diffs, end, half) {
  const before = runBounds(diffs, end, -1);
  const run = diffs.slice(before + 1, end + 1);
  let del = run.find((d) => d[0] === DIFF_DELETE);
  let ins = run.find((d) => d[0] === DIFF_INSERT);
  let inserted = 0;
  if (!del) {
    diffs.splice(before + 1, 0, (del = [DIFF_DELETE, ""]));
    inserted += 1;
  }
  if (!ins) {
    diffs.splice(before + 2, 0, (ins = [DIFF_INSERT, ""]));
    inserted += 1;
  }
  del[1] += half;
  ins[1] += half;
  return inserted;
}

function mergeRuns(diffs) {
  // Put each run of edits in delete-then-insert order and join neighbours of the same kind.
  const out = [];
  let del = "";
  let ins = "";
  const flush = () => {
    if (del) out.push([DIFF_DELETE, del]);
    if (ins) out.push([DIFF_INSERT, ins]);
    del = "";
    ins = "";
  };
  for (const [op, text] of diffs) {
    if (op === DIFF_DELETE) del += text;
    else if (op === DIFF_INSERT) ins += text;
    else {
      flush();
      const last = out[out.length - 1];
      if (last && last[0] === DIFF_EQUAL) last[1] += text;
      else out.push([DIFF_EQUAL, text]);
    }
  }
  flush();
  return out;
}

/** The diff from `a` to `b`, never cutting a surrogate pair. */
export function diffTexts(a, b) {
  return wholeCodePoints(dmp.diff_main(a, b));
}

/** The protocol's delta from `a` to `b` (diff_toDelta). */
export function makeDelta(a, b) {
  return dmp.diff_toDelta(diffTexts(a, b));
}

/** Decode `delta` against `base`; throws when it does not fit (lengths or encoding). */
export function decodeDelta(base, delta) {
  const diffs = dmp.diff_fromDelta(base, delta);
  return { diffs, text: dmp.diff_text2(diffs) };
}

/** Apply the change `diffs` (made against `base`) fuzzily to `text`; returns {text, failed}. */
export function patchText(base, diffs, text) {
  if (text === base) return { text: dmp.diff_text2(diffs), failed: 0 };
  const patches = dmp.patch_make(base, diffs);
  const [result, applied] = dmp.patch_apply(patches, text);
  return { text: result, failed: applied.filter((ok) => !ok).length };
}

/** Carry the changes from `from` to `to` onto `text` (for re-applying unsynced typing). */
export function rebase(from, to, text) {
  if (from === to) return { text, failed: 0 };
  return patchText(from, diffTexts(from, to), text);
}

/** Edit distance between two texts, in code units. */
export function distance(a, b) {
  return dmp.diff_levenshtein(dmp.diff_main(a, b));
}

/**
 * The minimal list of {from, to, insert} changes (positions in `a`) that turn `a` into `b`,
 * for editors that map cursors through changes.
 */
export function changesBetween(a, b) {
  const changes = [];
  let pos = 0;
  for (const [op, text] of diffTexts(a, b)) {
    if (op === DIFF_EQUAL) pos += text.length;
    else if (op === DIFF_DELETE) {
      changes.push({ from: pos, to: pos + text.length, insert: "" });
      pos += text.length;
    } else {
      const last = changes[changes.length - 1];
      if (last && last.to === pos && last.insert === "") last.insert = text;
      else changes.push({ from: pos, to: pos, insert: text });
    }
  }
  return changes;
}
