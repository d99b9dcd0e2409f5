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

/**
 * The diff from `a` to `b` standing for someone else's change, fit to carry other edits over.
 *
 * A plain diff may keep a character the other side deleted by matching it with the same
 * character inside its insertion ("end." -> "end<0.1>" as +"<0" ="." +"1>"), and an edit
 * carried over it then lands inside that insertion. Semantic cleanup folds such coincidental
 * equalities into the edit around them (the server's engine does the same).
 */
export function diffChange(a, b) {
  const diffs = dmp.diff_main(a, b);
  dmp.diff_cleanupSemantic(diffs);
  return wholeCodePoints(diffs);
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
  // Hunk by hunk, so that one landing in the middle of a surrogate pair (fuzzy matching counts
  // code units) is refused, counted as failed, rather than corrupting the text.
  let result = text;
  let failed = 0;
  const whole = !hasLoneSurrogate(text);
  for (const patch of dmp.patch_make(base, diffs)) {
    const [next, [ok]] = dmp.patch_apply([patch], result);
    if (!ok || (whole && hasLoneSurrogate(next))) failed += 1;
    else result = next;
  }
  return { text: result, failed };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether `text` holds half of a surrogate pair. */
export function hasLoneSurrogate(text) {
  return LONE_SURROGATE.test(text);
}

/** Carry the changes from `from` to `to` fuzzily onto `text` (the fallback). */
export function fuzzyRebase(from, to, text) {
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
  return changesFromDiff(diffTexts(a, b));
}

/** A diff (text1 -> text2) as {from, to, insert} changes in text1's positions. */
export function changesFromDiff(diffs) {
  const changes = [];
  let pos = 0;
  for (const [op, text] of diffs) {
    if (!text) continue;
    if (op === DIFF_EQUAL) pos += text.length;
    else if (op === DIFF_DELETE) {
      const last = changes[changes.length - 1];
      if (last && last.to === pos) last.to = pos + text.length;
      else changes.push({ from: pos, to: pos + text.length, insert: "" });
      pos += text.length;
    } else {
      const last = changes[changes.length - 1];
      if (last && last.to === pos) last.insert += text;
      else changes.push({ from: pos, to: pos, insert: text });
    }
  }
  return changes;
}

/**
 * Changes {from, to, insert} made to `base` (positions in `base`, sorted and not overlapping,
 * as CodeMirror's ChangeSet.iterChanges gives them) as a diff from `base`.
 * Throws when they do not fit.
 */
export function diffFromChanges(base, changes) {
  const out = [];
  let pos = 0;
  for (const { from, to, insert } of changes) {
    if (from < pos || to < from || to > base.length) throw new Error("changes do not fit");
    if (from > pos) out.push([DIFF_EQUAL, base.slice(pos, from)]);
    if (to > from) out.push([DIFF_DELETE, base.slice(from, to)]);
    if (insert) out.push([DIFF_INSERT, insert]);
    pos = to;
  }
  if (pos < base.length) out.push([DIFF_EQUAL, base.slice(pos)]);
  return out;
}

/** Apply {from, to, insert} changes (positions in `text`) to `text`. */
export function applyChanges(text, changes) {
  let out = "";
  let pos = 0;
  for (const { from, to, insert } of changes) {
    out += text.slice(pos, from) + insert;
    pos = to;
  }
  return out + text.slice(pos);
}

// --- exact diff algebra (the same semantics as app/coedit/engine's compose and rebase) ---------

/** [text1, text2] of a diff. */
export function diffEnds(diffs) {
  let a = "";
  let b = "";
  for (const [op, text] of diffs) {
    if (op !== DIFF_INSERT) a += text;
    if (op !== DIFF_DELETE) b += text;
  }
  return [a, b];
}

/** The diff that keeps `text` as it is. */
export function sameDiff(text) {
  return text ? [[DIFF_EQUAL, text]] : [];
}

/** Join neighbouring runs of one kind and drop empty ones (never moves an edit sideways). */
export function tidy(diffs) {
  return mergeRuns(diffs.filter(([, text]) => text.length > 0));
}

/**
 * One diff doing `first` (t0 -> t1) then `second` (t1 -> t2): t0 -> t2, without diffing.
 * Throws when `second` does not start from `first`'s result.
 */
export function compose(first, second) {
  const out = [];
  let i = 0;
  let aOp = DIFF_EQUAL;
  let aData = "";
  for (const [bOp, bData] of second) {
    if (bOp === DIFF_INSERT) {
      out.push([bOp, bData]);
      continue;
    }
    let need = bData.length;
    let offset = 0;
    while (need) {
      if (!aData) {
        if (i >= first.length) throw new Error("the second diff is longer than the first's result");
        [aOp, aData] = first[i];
        i += 1;
        if (aOp === DIFF_DELETE) {
          out.push([aOp, aData]);
          aData = "";
        }
        continue;
      }
      const take = Math.min(need, aData.length);
      const piece = aData.slice(0, take);
      if (piece !== bData.slice(offset, offset + take)) {
        throw new Error("the second diff does not start from the first's result");
      }
      aData = aData.slice(take);
      need -= take;
      offset += take;
      if (aOp === DIFF_EQUAL) out.push([bOp, piece]);
      else if (bOp === DIFF_EQUAL) out.push([DIFF_INSERT, piece]);
      // inserted by the first diff and deleted by the second: nothing
    }
  }
  if (aData) throw new Error("the second diff is shorter than the first's result");
  for (; i < first.length; i += 1) {
    const [op, data] = first[i];
    if (op !== DIFF_DELETE && data) throw new Error("the second diff is shorter than the first's result");
    out.push([op, data]);
  }
  return tidy(out);
}

function nextBaseOp(ops, index, op) {
  if (op !== null && op !== DIFF_INSERT) return op;
  for (let j = index + 1; j < ops.length; j += 1) {
    if (ops[j][0] !== DIFF_INSERT && ops[j][1]) return ops[j][0];
  }
  return null;
}

/**
 * Carry `mine` (base -> mine) over `theirs` (base -> theirs): a diff from theirs' text to both.
 *
 * Positions map deterministically, as diff_xIndex does: an insertion of mine at a point where
 * theirs also inserted goes after theirs' when theirs is the earlier change (the default: the
 * server's edits are earlier than unsynced local typing) and before it otherwise, so concurrent
 * insertions never interleave. A character deleted by either side is gone once; an insertion of
 * the earlier side strictly inside a region the later side deletes goes with that region.
 * `rebase(a, b, e)` and `rebase(b, a, !e)` end at the same text. Throws when the two diffs do
 * not start from the same base.
 */
export function rebase(mine, theirs, mineEarlier = false) {
  const out = [];
  let mi = 0;
  let ti = 0;
  let [mOp, mData] = mine.length ? mine[0] : [null, ""];
  let [tOp, tData] = theirs.length ? theirs[0] : [null, ""];
  let mPrevDeleted = false;
  let tPrevDeleted = false;
  const emit = (op, data) => {
    if (!data) return;
    const last = out[out.length - 1];
    if (last && last[0] === op) last[1] += data;
    else out.push([op, data]);
  };
  while (mOp !== null || tOp !== null) {
    if (mOp !== null && !mData) {
      mi += 1;
      [mOp, mData] = mi < mine.length ? mine[mi] : [null, ""];
      continue;
    }
    if (tOp !== null && !tData) {
      ti += 1;
      [tOp, tData] = ti < theirs.length ? theirs[ti] : [null, ""];
      continue;
    }
    if (tOp === DIFF_INSERT && !(mOp === DIFF_INSERT && mineEarlier)) {
      const spanned = !mineEarlier && mPrevDeleted && nextBaseOp(mine, mi, mOp) === DIFF_DELETE;
      emit(spanned ? DIFF_DELETE : DIFF_EQUAL, tData);
      tData = "";
      continue;
    }
    if (mOp === DIFF_INSERT) {
      const spanned = mineEarlier && tPrevDeleted && nextBaseOp(theirs, ti, tOp) === DIFF_DELETE;
      if (!spanned) emit(DIFF_INSERT, mData);
      mData = "";
      continue;
    }
    if (mOp === null || tOp === null) throw new Error("the two diffs do not start from the same text");
    const size = Math.min(mData.length, tData.length);
    const piece = mData.slice(0, size);
    if (piece !== tData.slice(0, size)) throw new Error("the two diffs do not start from the same text");
    if (tOp === DIFF_EQUAL) emit(mOp === DIFF_EQUAL ? DIFF_EQUAL : DIFF_DELETE, piece);
    mPrevDeleted = mOp === DIFF_DELETE;
    tPrevDeleted = tOp === DIFF_DELETE;
    mData = mData.slice(size);
    tData = tData.slice(size);
  }
  return out;
}

/**
 * Carry the local changes `local` (base -> text) over the server's change `theirs`
 * (base -> new base). Returns {local: new base -> new text, changes: text -> new text as a
 * diff}, or throws when the two do not start from the same base.
 */
export function carry(local, theirs) {
  const rebased = rebase(local, theirs, false);
  const changes = rebase(theirs, local, true);
  if (diffEnds(rebased)[1] !== diffEnds(changes)[1]) throw new Error("rebase mismatch");
  return { local: rebased, changes };
}

/** The delta of an exact diff, kept off the middle of surrogate pairs. */
export function diffDelta(diffs) {
  return dmp.diff_toDelta(wholeCodePoints(diffs));
}
