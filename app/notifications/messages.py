"""Notification titles and texts kept as a key and values, rendered in the reader's language.

A notification row stores `args` = {"title": key, "text": key or None, "values": {...}}; the
words come from the catalogs when someone reads it (the page, the API, the mail), so that a
French follower reads French and an Arabic one Arabic. Rows made before `args` existed show
their stored English title and text.
"""

from contextlib import suppress
from datetime import datetime

from babel import Locale
from flask_babel import force_locale, format_datetime, get_locale
from flask_babel import lazy_gettext as _l

from app.amendments.models import STATUSES

TITLES = {
    "version": _l("New version of %(document)s: %(label)s"),
    "translation_outdated": _l("The %(language)s translation of %(document)s is outdated"),
    "amendment_proposed": _l("New amendment #%(amendment)s to %(document)s"),
    "amendment_conflict": _l("Your amendment #%(amendment)s to %(document)s needs a rebase"),
    "amendment_decided": _l("Amendment #%(amendment)s to %(document)s: %(decision)s"),
    "amendment_rebased": _l(
        "Amendment #%(amendment)s to %(document)s was rebased (revision %(revision)s)"
    ),
    "comment": _l("New comment on amendment #%(amendment)s to %(document)s"),
    "thread_new": _l("New thread: %(topic)s"),
    "thread_reply": _l("Reply: %(topic)s"),
    "membership_request": _l("%(name)s asks to join %(body)s"),
    "selection_opened": _l("Selection opened in %(body)s: %(selection)s"),
    "selection_closed": _l("Selection closed in %(body)s: %(selection)s"),
    "selection_cancelled": _l("Selection cancelled in %(body)s: %(selection)s"),
    "period_opened": _l("The amendment period of %(document)s is open"),
    "period_closed": _l("The amendment period of %(document)s is closed"),
    "period_closing": _l("The amendment period of %(document)s closes in a day"),
}

TEXTS = {
    "translation_outdated": _l("%(label)s changed paragraphs you translated."),
    "rebase_needed": _l(
        "The paragraph changed since you proposed it; rebase it onto today's text."
    ),
    "decision_reason": _l("Reason: %(reason)s"),
    "rebased": _l("Positions given on the earlier text may need a second look."),
    "membership_request": _l("Approve or decline the request on the body's page."),
    "elected": _l("Elected: %(names)s."),
    "none_elected": _l("The selection closed; no one was elected."),
    "period_opened": _l("You can propose amendments now."),
    "period_opened_until": _l("You can propose amendments until %(closes_at)s."),
    "period_closed": _l("No new amendments are taken."),
    "period_closing": _l("Amendments are taken until %(closes_at)s."),
}


FOLLOW_KIND_LABELS = {
    "document": _l("document"),
    "amendment": _l("amendment"),
    "body": _l("body"),
    "thread": _l("discussion thread"),
}


def follow_kind_label(kind: str) -> str:
    """What a follow's kind is called for people (the code stays in the API)."""
    return str(FOLLOW_KIND_LABELS.get(kind, kind))


def make_args(title: str, values: dict, text: str | None = None) -> dict:
    """What a notification row stores to render its title (and fixed text) later."""
    if title not in TITLES or (text is not None and text not in TEXTS):
        raise KeyError(f"unknown notification message: {title!r}, {text!r}")
    return {"title": title, "text": text, "values": values}


def _localized(values: dict) -> dict:
    """Values that are codes or dates, put into the current language."""
    shown = dict(values)
    if "decision" in shown:
        shown["decision"] = str(STATUSES.get(shown["decision"], shown["decision"]))
    if "language" in shown:
        with suppress(ValueError, TypeError):
            shown["language"] = Locale.parse(shown["language"]).get_display_name(
                get_locale() or "en"
            )
    if isinstance(shown.get("closes_at"), str):
        with suppress(ValueError):
            when = datetime.fromisoformat(shown["closes_at"])
            shown["closes_at"] = f"{format_datetime(when, 'medium')} UTC"
    return shown


def _render(table: dict, key: str | None, values: dict) -> str | None:
    if key not in table:
        return None
    try:
        return str(table[key]) % _localized(values)
    except (KeyError, ValueError, TypeError):
        return None


def title_of(row) -> str:
    """The notification's title in the current language (the stored English one for old rows)."""
    args = row.args or {}
    return _render(TITLES, args.get("title"), args.get("values") or {}) or row.title


def text_of(row) -> str:
    """The notification's text: its fixed sentence translated, or what a person wrote, as is."""
    args = row.args or {}
    return _render(TEXTS, args.get("text"), args.get("values") or {}) or row.text or ""


def english(args: dict) -> tuple[str, str | None]:
    """The English title and fixed text, stored on the row as the fallback."""
    with force_locale("en"):
        values = args.get("values") or {}
        return _render(TITLES, args["title"], values) or "", _render(
            TEXTS, args.get("text"), values
        )
