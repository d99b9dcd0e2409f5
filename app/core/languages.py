"""Writing direction and standard form of BCP 47 language tags, shared by every domain."""

from functools import lru_cache

import langcodes
from babel import Locale, UnknownLocaleError

# Scripts written right to left, for tags babel has no locale data for.
RTL_SCRIPTS = frozenset(
    {"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Mand", "Samr", "Rohg", "Yezi", "Mend"}
)


def standard_tag(tag: str | None) -> str | None:
    """The standard form of a tag (`FR` -> `fr`, `zh-hans` -> `zh-Hans`); junk comes back as is."""
    raw = (tag or "").strip().replace("_", "-")
    if not raw:
        return None
    try:
        if langcodes.tag_is_valid(raw):
            return langcodes.standardize_tag(raw)
    except (ValueError, LookupError):
        pass
    return raw


def babel_locale(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def script_of(tag: str) -> str | None:
    try:
        language = langcodes.Language.get(tag)
        return language.script or language.maximize().script
    except Exception:  # noqa: BLE001  (unknown tag or missing likely-subtag data: no script)
        return None


@lru_cache(maxsize=512)
def direction_of(tag: str | None) -> str:
    """ "rtl" for languages written right to left (ar, he, fa, ur, ...), else "ltr"."""
    tag = standard_tag(tag)
    if not tag:
        return "ltr"
    locale = babel_locale(tag)
    if locale is not None:
        return "rtl" if locale.character_order == "right-to-left" else "ltr"
    return "rtl" if script_of(tag) in RTL_SCRIPTS else "ltr"
