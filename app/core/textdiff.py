"""Word-level diffs with diff-match-patch, rendered as tracked changes."""

import re
from collections.abc import Sequence

from diff_match_patch import diff_match_patch
from markupsafe import Markup, escape

_WORD = re.compile(r"\s+|[\w'’-]+|[^\w\s]", re.UNICODE)


def _dmp() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 1.0
    return dmp


def words(text: str) -> list[str]:
    """The tokens a word diff compares: words, runs of space and single signs (all of `text`)."""
    return _WORD.findall(text or "")


def _encode(*sequences) -> tuple[list[str], list[str]]:
    """Map every distinct token to one character so that diff-match-patch compares tokens."""
    tokens: list[str] = [""]
    index: dict[str, int] = {}
    encoded = []
    for sequence in sequences:
        out = []
        for token in sequence:
            if token not in index:
                index[token] = len(tokens)
                tokens.append(token)
            out.append(chr(index[token]))
        encoded.append("".join(out))
    return encoded, tokens


def word_diff(before: str, after: str) -> list[tuple[int, str]]:
    """Return diff-match-patch diffs (op, text) between two texts at word granularity."""
    dmp = _dmp()
    (chars_a, chars_b), tokens = _encode(words(before), words(after))
    diffs = dmp.diff_main(chars_a, chars_b, False)
    dmp.diff_charsToLines(diffs, tokens)
    dmp.diff_cleanupSemantic(diffs)
    return [(op, text) for op, text in diffs if text]


def token_diff(before: Sequence[str], after: Sequence[str]) -> list[tuple[int, int]]:
    """Diff two token sequences: runs of (op, how many tokens), op -1 deleted, 0 kept, 1 inserted."""
    dmp = _dmp()
    (chars_a, chars_b), _tokens = _encode(before, after)
    diffs = dmp.diff_main(chars_a, chars_b, False)
    dmp.diff_cleanupSemantic(diffs)
    return [(op, len(text)) for op, text in diffs if text]


def diff_html(before: str, after: str) -> Markup:
    """Render a word diff as escaped text with <ins> and <del> marks."""
    parts = []
    for op, text in word_diff(before, after):
        if op == 0:
            parts.append(str(escape(text)))
        elif op == 1:
            parts.append(f'<ins class="diff-ins">{escape(text)}</ins>')
        else:
            parts.append(f'<del class="diff-del">{escape(text)}</del>')
    return Markup("".join(parts))  # noqa: S704  (every piece escaped above)


def diff_html_sides(before: str, after: str) -> tuple[Markup, Markup]:
    """Render a word diff as two columns: deletions on the left, insertions on the right."""
    left, right = [], []
    for op, text in word_diff(before, after):
        escaped = str(escape(text))
        if op == 0:
            left.append(escaped)
            right.append(escaped)
        elif op == -1:
            left.append(f'<del class="diff-del">{escaped}</del>')
        else:
            right.append(f'<ins class="diff-ins">{escaped}</ins>')
    return Markup("".join(left)), Markup("".join(right))  # noqa: S704  (escaped above)


def similarity(a: str, b: str) -> float:
    """Share of words kept between two texts (1.0 identical, 0.0 nothing in common)."""
    if a == b:
        return 1.0
    diffs = word_diff(a, b)
    kept = sum(len(t) for op, t in diffs if op == 0)
    total = max(len(a), len(b))
    return kept / total if total else 1.0
