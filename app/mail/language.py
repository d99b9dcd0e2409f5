"""Mail is written in its recipient's interface language, whoever caused it and wherever.

The worker, the SMTP server and a request in another person's language all build mail; each
message is built inside `in_language_of(recipient)`, so gettext answers in the recipient's
language, and its HTML part says which language and direction it is in.
"""

from contextlib import contextmanager
from html import escape

from flask import current_app
from flask_babel import force_locale

from app.core.markdown import sanitize_html
from app.i18n.locale import DEFAULT_LANGUAGE, RTL_LANGUAGES


def language_of(user) -> str:
    """The person's interface language, or the site's default when they never chose one."""
    return language_of_code(getattr(user, "ui_language", None))


def language_of_code(chosen: str | None) -> str:
    return chosen or current_app.config.get("BABEL_DEFAULT_LOCALE") or DEFAULT_LANGUAGE


@contextmanager
def in_language_of(user):
    """Within this block, translated strings are in `user`'s language."""
    with force_locale(language_of(user)):
        yield


def html_document(body: str, lang: str, *, sanitized: bool = False) -> str:
    """A whole HTML part around `body`, with the language and writing direction set."""
    direction = "rtl" if lang.split("_")[0] in RTL_LANGUAGES else "ltr"
    inner = body if sanitized else sanitize_html(body)
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}" dir="{direction}">'
        f'<head><meta charset="utf-8"></head><body dir="{direction}">{inner}</body></html>'
    )
