"""The paragraph alignment as it was before publishing was bounded (quadratic in edited runs).

Kept verbatim as the reference the bounded `app.documents.alignment` must agree with on ordinary
edits (tests/documents/test_documents_alignment_bounded.py) and as the "before" of
bench/publish_alignment.py.
"""

from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from app.core.textdiff import similarity

# Below this share of kept words an edited paragraph counts as a different paragraph.
SAME_PARAGRAPH_THRESHOLD = 0.5


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
    previous_old = previous_new = 0
    for block in anchors:
        old_gap = [i for i in range(previous_old, block.a) if i not in taken_old]
        new_gap = [j for j in range(previous_new, block.b) if keys[j] is None]
        _pair_gap(old, new_texts, keys, old_gap, new_gap, threshold)
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


def _pair_gap(old, new_texts, keys, old_gap, new_gap, threshold) -> None:
    """Pair edited paragraphs inside one gap between anchors, in order, maximising similarity."""
    if not old_gap or not new_gap:
        return
    rows, cols = len(old_gap), len(new_gap)
    if rows * cols > 40_000:  # a rewrite of the whole text: pair by position only
        for i, j in zip(old_gap, new_gap, strict=False):
            if similarity(old[i][1], new_texts[j]) >= threshold:
                keys[j] = old[i][0]
        return
    sims = [[similarity(old[i][1], new_texts[j]) for j in new_gap] for i in old_gap]
    # score[r][c]: best total similarity pairing old_gap[r:] with new_gap[c:] in order.
    score = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for r in range(rows - 1, -1, -1):
        for c in range(cols - 1, -1, -1):
            take = sims[r][c] + score[r + 1][c + 1] if sims[r][c] >= threshold else -1.0
            score[r][c] = max(take, score[r + 1][c], score[r][c + 1])
    r = c = 0
    while r < rows and c < cols:
        if sims[r][c] >= threshold and score[r][c] == sims[r][c] + score[r + 1][c + 1]:
            keys[new_gap[c]] = old[old_gap[r]][0]
            r += 1
            c += 1
        elif score[r][c] == score[r + 1][c]:
            r += 1
        else:
            c += 1
