"""Text as the index sees it, the same on SQLite and PostgreSQL, and snippets built from it.

Both the indexed text and the query are folded here, in Python, so that both databases match
alike: lower case, compatibility forms unified, combining marks removed (French accents, Arabic
vowel signs and hamza seats, the tatweel). Chinese, Japanese and Thai are written without spaces,
so every run of such characters is indexed as its overlapping character pairs: a query's run
then matches as a phrase of pairs, whatever the words.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

import nh3
from markupsafe import Markup, escape

from app.core.markdown import render_markdown

MAX_TERMS = 12
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Scripts written without spaces between words (CJK ideographs, kana, Thai, Lao, Khmer...).
_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x2FA1F),  # CJK extensions B and later
)
_TATWEEL = "\u0640"


def _unspaced(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _UNSPACED)


def _fold_char(char: str) -> str:
    if char == _TATWEEL:
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.casefold()


def fold(text: str) -> str:
    """Lower case, no combining marks, compatibility forms unified."""
    return "".join(_fold_char(c) for c in text or "")


def _split_run(word: str) -> list[tuple[bool, str]]:
    """A folded word cut into (unspaced?, piece) pieces: "abc中文" -> [(False, "abc"), (True, "中文")]."""
    pieces: list[tuple[bool, str]] = []
    for char in word:
        kind = _unspaced(char)
        if pieces and pieces[-1][0] == kind:
            pieces[-1] = (kind, pieces[-1][1] + char)
        else:
            pieces.append((kind, char))
    return pieces


def _pairs(run: str) -> list[str]:
    return [run] if len(run) < 2 else [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(text: str) -> str:
    """What the full-text index stores: folded words, unspaced runs as character pairs."""
    tokens: list[str] = []
    for word in _WORD.findall(fold(text)):
        for unspaced, piece in _split_run(word):
            tokens.extend(_pairs(piece) if unspaced else [piece])
    return " ".join(tokens)


@dataclass(frozen=True)
class Term:
    """One word of a query: `tokens` must follow each other in the index (one token, or the
    character pairs of an unspaced run); `text` is what snippets mark."""

    text: str
    tokens: tuple[str, ...]

    @property
    def prefix(self) -> bool:
        """A single unspaced character matches the pairs it starts."""
        return len(self.text) == 1 and _unspaced(self.text)


def search_terms(query: str | None) -> list[Term]:
    """The words of a query, folded, without duplicates, at most MAX_TERMS."""
    terms: list[Term] = []
    for word in _WORD.findall(fold(query or "")):
        for unspaced, piece in _split_run(word):
            term = Term(piece, tuple(_pairs(piece)) if unspaced else (piece,))
            if term not in terms:
                terms.append(term)
    return terms[:MAX_TERMS]


def plain_text(markdown: str) -> str:
    """The words of a Markdown text without its markup (what a reader sees)."""
    rendered = nh3.clean(render_markdown(markdown or ""), tags=set())
    return " ".join(html.unescape(rendered).split())


def _folded_with_offsets(source: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the source character."""
    folded, offsets = [], []
    for index, char in enumerate(source):
        for piece in _fold_char(char):
            folded.append(piece)
            offsets.append(index)
    return "".join(folded), offsets


def _match_pattern(terms: list[Term]) -> re.Pattern:
    alternatives = []
    for term in sorted(terms, key=lambda t: -len(t.text)):
        if _unspaced(term.text[0]):
            alternatives.append(re.escape(term.text))  # inside a run, no word boundary
        else:
            alternatives.append(r"(?<![^\W_])" + re.escape(term.text) + r"(?![^\W_])")
    return re.compile("|".join(alternatives))


def highlight(source: str, terms: list[Term], width: int = 240) -> Markup:
    """An escaped excerpt of `source` around the first match, matches in <mark>.

    Matching is done on the folded text (so "equite" marks "équité") and mapped back to the
    source's characters; every piece of the source is escaped before it is marked.
    """
    plain = " ".join((source or "").split())
    if not terms:
        return escape(plain[:width]) + ("…" if len(plain) > width else "")
    folded, offsets = _folded_with_offsets(plain)
    spans = []
    for match in _match_pattern(terms).finditer(folded):
        start = offsets[match.start()]
        end = offsets[match.end() - 1] + 1
        while end < len(plain) and unicodedata.combining(plain[end]):
            end += 1  # keep a mark with its letter
        spans.append((start, end))
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    stop = min(len(plain), start + width)
    parts, last = [], start
    for span_start, span_end in spans:
        if span_start < last or span_end > stop:
            continue
        parts.append(str(escape(plain[last:span_start])))
        parts.append(f"<mark>{escape(plain[span_start:span_end])}</mark>")
        last = span_end
    parts.append(str(escape(plain[last:stop])))
    prefix = "…" if start else ""
    suffix = "…" if stop < len(plain) else ""
    return Markup(prefix + "".join(parts) + suffix)  # noqa: S704  (every piece escaped above)
