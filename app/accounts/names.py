"""Display names people can trust: no bidirectional controls, no look-alikes of another person.

A name's skeleton folds compatibility forms (NFKC), case, accents, spacing and punctuation,
and maps every character to one representative of its class of confusable homoglyphs (the
Unicode confusables data shipped by confusable-homoglyphs), so "Аlice" in Cyrillic, "ALICE"
and "A l i c e" share the skeleton of "Alice".
"""

import json
import string
import unicodedata
from functools import cache
from importlib.resources import files

from flask_babel import lazy_gettext as _l

from app.core.errors import ValidationError

# Embedding, override and isolate controls, the directional marks and the Arabic letter mark:
# they reorder how a name is shown around it (U+202E turns "exe.txt" into "txt.exe").
BIDI_CONTROLS = frozenset(
    [
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
        "\u200e",
        "\u200f",
        "\u061c",
    ]
)
# Invisible characters that let two names look identical while differing.
INVISIBLE = frozenset(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])


def refuse_unsafe_name(name: str) -> None:
    """Refuse bidirectional controls, invisible and other control characters in a name."""
    if any(ch in BIDI_CONTROLS for ch in name):
        raise ValidationError(
            _l("A name may not contain bidirectional control characters."), code="name_bidi"
        )
    if any(ch in INVISIBLE or unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise ValidationError(
            _l("A name may not contain invisible or control characters."), code="name_invisible"
        )


@cache
def _representatives() -> dict[str, str]:
    """Every confusable character mapped to the smallest member of its class (ASCII first)."""
    data = json.loads(files("confusable_homoglyphs").joinpath("confusables.json").read_text())
    parent: dict[str, str] = {}

    def find(ch: str) -> str:
        while parent.setdefault(ch, ch) != ch:
            parent[ch] = parent[parent[ch]]
            ch = parent[ch]
        return ch

    def key(ch: str) -> tuple[bool, str]:
        return (not ch.isascii(), ch)

    for char, entries in data.items():
        for entry in entries:
            other = entry["c"].strip("\u200e\u200f")
            if len(char) != 1 or len(other) != 1:
                continue
            a, b = find(char), find(other)
            if a != b:
                low, high = sorted((a, b), key=key)
                parent[high] = low
    # Case never tells two people apart: each Latin letter shares a class with its capital
    # (so O, o and 0 meet, and capital I joins both l and i).
    for letter in string.ascii_lowercase:
        a, b = find(letter), find(letter.upper())
        if a != b:
            low, high = sorted((a, b), key=key)
            parent[high] = low
    return {ch: find(ch) for ch in parent}


def name_skeleton(name: str) -> str:
    """The form two names share when one could pass for the other."""
    mapping = _representatives()

    def fold(text: str) -> str:
        return "".join(mapping.get(ch, ch) for ch in text)

    # Accents off first, then map before and after case folding (capital Cyrillic М looks
    # like M, small м does not).
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = fold(fold(text).casefold())
    return "".join(ch for ch in text if ch.isalnum())
