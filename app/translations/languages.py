"""Languages as BCP 47 tags: validation, names and writing direction from maintained packages."""

from dataclasses import dataclass
from functools import lru_cache

import langcodes
from babel import Locale
from flask_babel import lazy_gettext as _l

from app.core.errors import ValidationError
from app.core.languages import babel_locale, direction_of
from app.i18n.locale import interface_language

# The six official languages of the United Nations, offered by default.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
MAX_TAG_LENGTH = 35


@dataclass(frozen=True)
class Language:
    tag: str
    name: str
    native_name: str
    dir: str

    @property
    def is_rtl(self) -> bool:
        return self.dir == "rtl"

    @property
    def label(self) -> str:
        if self.native_name and self.native_name != self.name:
            return f"{self.name} ({self.native_name})"
        return self.name


def normalize_tag(tag: str | None) -> str:
    """The standard form of a BCP 47 tag (`zh-hans` -> `zh-Hans`, `iw` -> `he`), or a 400."""
    raw = (tag or "").strip().replace("_", "-")
    if not raw:
        raise ValidationError(_l("Give a language code (BCP 47, for example fr, ar or zh-Hans)."))
    if len(raw) > MAX_TAG_LENGTH or not langcodes.tag_is_valid(raw):
        raise ValidationError(
            _l(
                "%(raw)s is not a known language code (BCP 47, for example fr or zh-Hans).",
                raw=repr(raw[:40]),
            )
        )
    return langcodes.standardize_tag(raw)


def safe_tag(tag: str | None) -> str:
    """The standard form of a stored tag, or the tag itself when it is not valid BCP 47."""
    try:
        return normalize_tag(tag)
    except ValidationError:
        return tag or "und"


def same_language(a: str | None, b: str | None) -> bool:
    try:
        return normalize_tag(a) == normalize_tag(b)
    except ValidationError:
        return False


def language(tag: str) -> Language:
    """Names (in the interface language) and direction of a (normalised) tag."""
    return _language(tag, interface_language())


@lru_cache(maxsize=2048)
def _language(tag: str, reader: str) -> Language:
    """Babel first, then its name tables, then the tag."""
    locale = babel_locale(tag)
    if locale is not None:
        name = locale.get_display_name(reader) or tag
        native = locale.get_display_name() or name
        return Language(tag, name, native, direction_of(tag))
    base = tag.split("-")[0]
    names = Locale.parse(reader).languages
    name = names.get(tag) or names.get(base) or tag
    return Language(tag, name, name, direction_of(tag))


def direction(tag: str) -> str:
    return direction_of(tag)


def default_languages(exclude: str | None = None) -> list[Language]:
    """The UN official languages, minus the document's own source language."""
    return [language(tag) for tag in UN_LANGUAGES if not same_language(tag, exclude)]
