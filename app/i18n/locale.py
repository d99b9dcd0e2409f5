"""Which interface language a request is answered in, and what templates need to know of it."""

from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po
from flask import Flask, current_app, request, session
from flask_babel import (
    Babel,
    format_date,
    format_datetime,
    format_decimal,
    format_time,
    get_locale,
    gettext,
)
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from app.extensions import login_manager

CATALOG_DIR = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "en"
# The six official languages of the United Nations, each named in itself (the switcher's labels).
INTERFACE_LANGUAGES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
RTL_LANGUAGES = frozenset({"ar"})
COOKIE_NAME = "ui_language"
SESSION_KEY = "ui_language"
COOKIE_MAX_AGE = 365 * 24 * 3600

babel = Babel()


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (by gettext at render)."""
    return message


# Labels templates translate from a stored value (`_(state|capitalize)`): marked here.
DYNAMIC_LABELS = (
    N_("Applied"),
    N_("Unchanged"),
    N_("Refused"),
    N_("Inserted"),
    N_("Modified"),
    N_("Deleted"),
    N_("Moved"),
    N_("North"),
    N_("South"),
    N_("reviewed"),
    N_("translated"),
    N_("outdated"),
    N_("missing"),
)


def stored_choice() -> str | None:
    """The language a person chose with the switcher: profile, then session, then cookie."""
    offered = current_app.config.get("INTERFACE_LANGUAGES", INTERFACE_LANGUAGES)
    candidates = []
    if current_user and current_user.is_authenticated:
        candidates.append(getattr(current_user, "ui_language", None))
    candidates += [session.get(SESSION_KEY), request.cookies.get(COOKIE_NAME)]
    for choice in candidates:
        if choice in offered:
            return choice
    return None


def select_locale() -> str:
    """The switcher's choice, else the browser's Accept-Language, else English."""
    forced = current_app.config.get("BABEL_FORCE_LOCALE")
    if forced:
        return forced
    if not request:
        return DEFAULT_LANGUAGE
    offered = current_app.config.get("INTERFACE_LANGUAGES", INTERFACE_LANGUAGES)
    return stored_choice() or request.accept_languages.best_match(list(offered)) or DEFAULT_LANGUAGE


def interface_language() -> str:
    """The interface language of this request; English outside a request (CLI, tests)."""
    locale = get_locale() if request else None
    return locale.language if locale else DEFAULT_LANGUAGE


def territory_name(code: str) -> str | None:
    """A country's name in the interface language (CLDR, through Babel)."""
    locale = get_locale() if request else None
    return (locale or Locale("en")).territories.get(code)


def interface_direction() -> str:
    return "rtl" if interface_language() in RTL_LANGUAGES else "ltr"


# The order of gettext plural forms babel writes (CLDR tags present in the language, in this order).
_PLURAL_ORDER = ("zero", "one", "two", "few", "many", "other")


@lru_cache(maxsize=16)
def _browser_catalog(language: str) -> dict:
    """The messages of the browser code (those extracted from assets/), translated."""
    path = CATALOG_DIR / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle)
    tags = Locale.parse(language).plural_form.tags
    order = [tag for tag in _PLURAL_ORDER if tag in tags or tag == "other"]
    strings: dict = {"\u0000plural-tags": order}
    for message in catalog:
        if not message.id or not any(loc.startswith("assets/") for loc, _ in message.locations):
            continue
        if message.fuzzy or not any(message.string if message.pluralizable else [message.string]):
            continue
        if message.pluralizable:
            strings[message.id[0]] = list(message.string)
        else:
            strings[message.id] = message.string
    return strings


def browser_catalog() -> dict[str, str]:
    return _browser_catalog(interface_language())


# The strftime formats templates ask for, as Babel formats (names localise, ISO dates stay ISO).
_BABEL_FORMATS = {
    "%Y-%m-%d %H:%M UTC": ("datetime", "yyyy-MM-dd HH:mm", " UTC"),
    "%Y-%m-%d %H:%M": ("datetime", "yyyy-MM-dd HH:mm", ""),
    "%Y-%m-%d": ("date", "yyyy-MM-dd", ""),
    "%H:%M UTC": ("time", "HH:mm", " UTC"),
    "%A %d %B %Y": ("date", "full", ""),
    "%d %B %Y": ("date", "long", ""),
}


def babel_datetime(value, fmt: str) -> str:
    """A date or time in the interface language (times are UTC, as stored)."""
    kind, pattern, suffix = _BABEL_FORMATS.get(fmt, ("datetime", "medium", " UTC"))
    if kind == "date":
        return format_date(value, pattern) + suffix
    if kind == "time":
        return format_time(value, pattern) + suffix
    return format_datetime(value, pattern) + suffix


def number_filter(value) -> str:
    return format_decimal(value) if value is not None else ""


def _template_context() -> dict:
    language = interface_language()
    return {
        "page_lang": language,
        "page_dir": interface_direction(),
        "interface_languages": INTERFACE_LANGUAGES,
        "browser_catalog": browser_catalog,
    }


def _isolate_placeholders(app: Flask) -> None:
    """In right-to-left pages, every value put into a translated message (a name, a title, a
    number) is a bidi isolate (U+2068 ... U+2069, the character form of <bdi>, valid in titles
    and attributes too), so that Latin names and numbers keep their own direction."""
    env = app.jinja_env
    plain_gettext, plain_ngettext = env.globals["gettext"], env.globals["ngettext"]

    def isolated(context, variables: dict) -> dict:
        if not context.eval_ctx.autoescape or interface_direction() != "rtl":
            return variables
        return {name: Markup("\u2068%s\u2069") % value for name, value in variables.items()}

    @pass_context
    def gettext(__context, __string, **variables):
        return plain_gettext(__context, __string, **isolated(__context, variables))

    @pass_context
    def ngettext(__context, __singular, __plural, __num, **variables):
        variables = isolated(__context, variables)
        return plain_ngettext(__context, __singular, __plural, __num, **variables)

    env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext)


def init_babel(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(CATALOG_DIR))
    babel.init_app(app, locale_selector=select_locale)
    _isolate_placeholders(app)
    # Flask-Login's "Please log in" flash, in the reader's language.
    login_manager.login_message = N_("Please log in to access this page.")
    login_manager.localize_callback = gettext
    app.context_processor(_template_context)
    app.jinja_env.filters["num"] = number_filter
