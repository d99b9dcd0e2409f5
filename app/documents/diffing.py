"""Paragraph-aligned comparison of two versions (a pure function shared by pages, API and feed).

Paragraphs are matched by key. The result follows the order of the later version; a
deleted paragraph appears right after the paragraph that preceded it in the earlier
version. A paragraph whose key survives but whose place among the others changed is
`moved` (its status still says whether its text changed).
"""

from collections.abc import Sequence
from difflib import SequenceMatcher

UNCHANGED = "unchanged"
MODIFIED = "modified"
INSERTED = "inserted"
DELETED = "deleted"
STATUSES = (UNCHANGED, MODIFIED, INSERTED, DELETED)


def diff_paragraphs(
    before: Sequence[tuple[str, str]], after: Sequence[tuple[str, str]]
) -> list[dict]:
    """Compare two lists of (key, text); return one entry per paragraph of either.

    Each entry: key, status (unchanged|modified|inserted|deleted), before, after (texts or
    None), number_before, number_after (1-based positions or None) and moved (bool).
    """
    old = {key: (index, text) for index, (key, text) in enumerate(before)}
    new_keys = {key for key, _ in after}
    common_old = [key for key, _ in before if key in new_keys]
    common_new = [key for key, _ in after if key in old]
    # Keys whose relative order is kept; the others moved.
    anchors: set[str] = set()
    matcher = SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    for block in matcher.get_matching_blocks():
        anchors.update(common_old[block.a : block.a + block.size])

    leading: list[dict] = []
    trailing: dict[str, list[dict]] = {}
    last_anchor: str | None = None
    for index, (key, text) in enumerate(before):
        if key in anchors:
            last_anchor = key
        elif key not in new_keys:
            entry = _entry(key, DELETED, text, None, index + 1, None)
            (trailing.setdefault(last_anchor, []) if last_anchor else leading).append(entry)

    result = list(leading)
    for index, (key, text) in enumerate(after):
        if key in old:
            old_index, old_text = old[key]
            status = UNCHANGED if old_text == text else MODIFIED
            entry = _entry(key, status, old_text, text, old_index + 1, index + 1)
            entry["moved"] = key not in anchors
        else:
            entry = _entry(key, INSERTED, None, text, None, index + 1)
        result.append(entry)
        result.extend(trailing.get(key, ()))
    return result


def _entry(key, status, before, after, number_before, number_after) -> dict:
    return {
        "key": key,
        "status": status,
        "before": before,
        "after": after,
        "number_before": number_before,
        "number_after": number_after,
        "moved": False,
    }


def summarize(entries: Sequence[dict]) -> dict[str, int]:
    """How many paragraphs have each status, and how many moved."""
    counts = dict.fromkeys(STATUSES, 0)
    counts["moved"] = 0
    for entry in entries:
        counts[entry["status"]] += 1
        counts["moved"] += bool(entry["moved"])
    return counts


def is_quiet(entry: dict) -> bool:
    """Nothing to read in this entry: same text, same place."""
    return entry["status"] == UNCHANGED and not entry["moved"]


def fold_quiet(items: Sequence, quiet=is_quiet, context: int = 1, least: int = 2) -> list[dict]:
    """Group items for display: runs of quiet items farther than `context` from anything else
    become one folded run (when at least `least` long); every other item is a run of its own.

    Returns [{"folded": bool, "items": [...]}] in order; a page shows a folded run as one
    expandable row, so that a long text with few changes fits on a screen.
    """
    loud = [index for index, item in enumerate(items) if not quiet(item)]
    near = set()
    for index in loud:
        near.update(range(index - context, index + context + 1))
    runs: list[dict] = []
    hidden: list = []

    def flush():
        if len(hidden) >= least:
            runs.append({"folded": True, "items": list(hidden)})
        else:
            runs.extend({"folded": False, "items": [item]} for item in hidden)
        hidden.clear()

    for index, item in enumerate(items):
        if quiet(item) and index not in near:
            hidden.append(item)
        else:
            flush()
            runs.append({"folded": False, "items": [item]})
    flush()
    return runs
