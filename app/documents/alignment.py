"""Align the paragraphs of a new text with the keys of the previous version (a pure function).

Unchanged paragraphs keep their key (exact matches found as a longest common
subsequence, so moves of identical text are anchors too); between two anchors the
remaining old and new paragraphs are paired in order by word similarity, and a pair
keeps the old key when it is still clearly the same paragraph. Everything else is
inserted (new key) or deleted.

The word similarity of two paragraphs is a word diff, the costly part. A pair whose shared
words (counted as a bag, which bounds any diff's kept words from above) cannot reach the
threshold is never diffed: that changes no key, since such a pair can never be kept. Among
the others, only those the best pairing could use are diffed (branch and bound, _pair_gap),
and the diffs of one gap are capped, so that a rewrite of a whole long draft stays bounded.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from app.core.textdiff import similarity, words

# Below this share of kept words an edited paragraph counts as a different paragraph.
SAME_PARAGRAPH_THRESHOLD = 0.5
# Above this many old x new paragraphs in one gap, pair them by position only.
MAX_GAP_PAIRS = 40_000
# At most this many exact word diffs per gap; past it only pairs near the gap's diagonal
# (in order, as the pairing is) are diffed, the others counted as different paragraphs.
MAX_DIFFS_PER_GAP = 2_000
# Rounds of branch and bound (see _pair_gap) before every candidate pair of a gap is diffed.
MAX_BOUND_ROUNDS = 12


def align_keys(
    old: Sequence[tuple[str, str]],
    new_texts: Sequence[str],
    new_key: Callable[[], str],
    threshold: float = SAME_PARAGRAPH_THRESHOLD,
) -> list[str]:
    """Return one key per new text: an old key where the paragraph survives, else `new_key()`."""
    old_texts = [text for _, text in old]
    keys: list[str | None] = [None] * len(new_texts)
    taken_old: set[int] = set()
    anchors = SequenceMatcher(a=old_texts, b=list(new_texts), autojunk=False).get_matching_blocks()
    for block in anchors:
        for offset in range(block.size):
            keys[block.b + offset] = old[block.a + offset][0]
            taken_old.add(block.a + offset)
    _keep_moved(old, new_texts, keys, taken_old)
    scorer = _Scorer(old_texts, new_texts, threshold)
    previous_old = previous_new = 0
    for block in anchors:
        old_gap = [i for i in range(previous_old, block.a) if i not in taken_old]
        new_gap = [j for j in range(previous_new, block.b) if keys[j] is None]
        _pair_gap(old, keys, old_gap, new_gap, scorer)
        previous_old, previous_new = block.a + block.size, block.b + block.size
    used: set[str] = set()
    result = []
    for key in keys:
        if key is None or key in used:
            key = new_key()
        used.add(key)
        result.append(key)
    return result


def _keep_moved(old, new_texts, keys, taken_old) -> None:
    """A paragraph moved elsewhere with its text unchanged keeps its key."""
    free_by_text: dict[str, list[int]] = {}
    for i, (_, text) in enumerate(old):
        if i not in taken_old:
            free_by_text.setdefault(text, []).append(i)
    for j, text in enumerate(new_texts):
        if keys[j] is None and free_by_text.get(text):
            i = free_by_text[text].pop(0)
            keys[j] = old[i][0]
            taken_old.add(i)


class _Scorer:
    """Word similarity of old and new paragraphs, diffing only pairs that may reach the threshold."""

    def __init__(self, old_texts, new_texts, threshold):
        self.old_texts, self.new_texts, self.threshold = old_texts, new_texts, threshold
        self._bags: dict[tuple[int, int], Counter] = {}

    def _bag(self, side: int, index: int) -> Counter:
        bag = self._bags.get((side, index))
        if bag is None:
            text = (self.old_texts, self.new_texts)[side][index]
            bag = self._bags[(side, index)] = Counter(words(text))
        return bag

    def bound(self, i: int, j: int) -> float:
        """At least the word similarity of old i and new j (shared words counted as a bag)."""
        a, b = self.old_texts[i], self.new_texts[j]
        longest = max(len(a), len(b))
        if a == b or not longest:
            return 1.0
        if min(len(a), len(b)) < self.threshold * longest:
            return -1.0
        bag_a, bag_b = self._bag(0, i), self._bag(1, j)
        if len(bag_b) < len(bag_a):
            bag_a, bag_b = bag_b, bag_a
        shared = 0
        for token, count in bag_a.items():
            other = bag_b.get(token)
            if other:
                shared += min(count, other) * len(token)
        return shared / longest if shared >= self.threshold * longest else -1.0

    def similarity(self, i: int, j: int) -> float:
        """The word similarity, or -1.0 where it certainly stays below the threshold."""
        if self.bound(i, j) < self.threshold:
            return -1.0
        return similarity(self.old_texts[i], self.new_texts[j])


def _pair_gap(old, keys, old_gap, new_gap, scorer: _Scorer) -> None:
    """Pair edited paragraphs inside one gap between anchors, in order, maximising similarity.

    Branch and bound: the best pairing is sought with each pair's upper bound standing in for
    its similarity, and the pairs it uses are diffed, until it uses diffed pairs only; no
    pairing can then do better, since every other pair's similarity is at most its bound.
    """
    if not old_gap or not new_gap:
        return
    threshold = scorer.threshold
    rows, cols = len(old_gap), len(new_gap)
    if rows * cols > MAX_GAP_PAIRS:  # a rewrite of the whole text: pair by position only
        for i, j in zip(old_gap, new_gap, strict=False):
            if scorer.similarity(i, j) >= threshold:
                keys[j] = old[i][0]
        return
    sims = [[scorer.bound(i, j) for j in new_gap] for i in old_gap]
    candidates = [(r, c) for r in range(rows) for c in range(cols) if sims[r][c] >= threshold]
    if len(candidates) > MAX_DIFFS_PER_GAP:
        band = max(1, MAX_DIFFS_PER_GAP // (2 * max(rows, cols)))
        for r, c in candidates:
            if abs(c - r * cols // rows) > band:
                sims[r][c] = -1.0
        candidates = [(r, c) for r, c in candidates if sims[r][c] >= threshold]
    diffed: set[tuple[int, int]] = set()

    def diff(pairs) -> None:
        for r, c in pairs:
            if (r, c) not in diffed:
                diffed.add((r, c))
                sims[r][c] = similarity(scorer.old_texts[old_gap[r]], scorer.new_texts[new_gap[c]])

    for _round in range(MAX_BOUND_ROUNDS):
        pairing = _best_pairing(sims, threshold)
        if all(pair in diffed for pair in pairing):
            break
        diff(pairing)
    else:
        diff(candidates)
        pairing = _best_pairing(sims, threshold)
    for r, c in pairing:
        keys[new_gap[c]] = old[old_gap[r]][0]


def _best_pairing(sims, threshold) -> list[tuple[int, int]]:
    """The in-order pairs of greatest total similarity, each at least `threshold` (a DP)."""
    rows, cols = len(sims), len(sims[0])
    # score[r][c]: best total similarity pairing old rows r.. with new columns c.. in order.
    score = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for r in range(rows - 1, -1, -1):
        row, below, here = sims[r], score[r + 1], score[r]
        for c in range(cols - 1, -1, -1):
            take = row[c] + below[c + 1] if row[c] >= threshold else -1.0
            here[c] = max(take, below[c], here[c + 1])
    pairing = []
    r = c = 0
    while r < rows and c < cols:
        if sims[r][c] >= threshold and score[r][c] == sims[r][c] + score[r + 1][c + 1]:
            pairing.append((r, c))
            r += 1
            c += 1
        elif score[r][c] == score[r + 1][c]:
            r += 1
        else:
            c += 1
    return pairing
