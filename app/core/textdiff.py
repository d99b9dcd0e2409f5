"""Word-level diffs with diff-match-patch, rendered as tracked changes."""

import re

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


def _words_to_chars(a: str, b: str) -> tuple[str, str, list[str]]:
    """Map every word (and run of space) to one character so the diff works on words."""
    tokens: list[str] = [""]
    index: dict[str, int] = {}

    def encode(text: str) -> str:
        out = []
        for token in _WORD.findall(text):
            if token not in index:
                index[token] = len(tokens)
                tokens.append(token)
            out.append(chr(index[token]))
        return "".join(out)

    return encode(a), encode(b), tokens


def word_diff(before: str, after: str) -> list[tuple[int, str]]:
    """Return diff-match-patch diffs (op, text) between two texts at word granularity."""
    dmp = _dmp()
    chars_a, chars_b, tokens = _words_to_chars(before or "", after or "")
    diffs = dmp.diff_main(chars_a, chars_b, False)
    dmp.diff_charsToLines(diffs, tokens)
    dmp.diff_cleanupSemantic(diffs)
    return [(op, text) for op, text in diffs if text]


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
