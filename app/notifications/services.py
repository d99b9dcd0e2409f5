"""Follow things, make notifications, and mail them per each person's choice."""

from contextlib import contextmanager
from contextvars import ContextVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.accounts.models import User
from app.core.errors import NotFound, ValidationError
from app.core.timeutil import utcnow
from app.extensions import db
from app.notifications.mailing import mail_notification
from app.notifications.messages import english, make_args
from app.notifications.models import (
    FOLLOW_KINDS,
    MAIL_MODES,
    Follow,
    Notification,
    NotificationPreference,
)

# The six UN languages of the interface (docs/design.md, "Interface languages").
UI_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")

KINDS = {
    "version": _l("A new version of a document you follow"),
    "amendment_proposed": _l("An amendment proposed on a document you follow"),
    "amendment_decided": _l("A decision on an amendment you follow"),
    "amendment_conflict": _l("Your amendment is in conflict and waits for your rebase"),
    "amendment_rebased": _l("An amendment you follow was rebased"),
    "comment": _l("A comment on an amendment you follow"),
    "reply": _l("A post in a discussion you follow"),
    "amendment_period": _l("An amendment period opening, closing or about to close"),
    "translation_outdated": _l("A translation in your language is outdated"),
    "membership_request": _l("A membership request in a body you coordinate"),
    "selection": _l("A selection opening, closing and its result"),
}


def preference_of(user_id: int) -> NotificationPreference:
    """The person's preferences (defaults until they change one)."""
    pref = db.session.get(NotificationPreference, user_id)
    if pref is None:
        pref = NotificationPreference(
            user_id=user_id, email="immediately", kinds={}, list_mail=True
        )
    return pref


def mail_mode(pref: NotificationPreference, kind: str) -> str:
    return (pref.kinds or {}).get(kind) or pref.email or "immediately"


def update_preferences(user: User, data: dict) -> NotificationPreference:
    """Change only the fields named in `data` (email, kinds, ui_language, list_mail)."""
    pref = preference_of(user.id)
    if "email" in data:
        if data["email"] not in MAIL_MODES:
            raise ValidationError(
                _l("email must be one of %(mail_modes)s.", mail_modes=", ".join(MAIL_MODES))
            )
        pref.email = data["email"]
    if "kinds" in data:
        kinds = data["kinds"]
        if not isinstance(kinds, dict) or any(
            k not in KINDS or (v not in MAIL_MODES and v is not None) for k, v in kinds.items()
        ):
            raise ValidationError(
                _l(
                    "kinds maps a kind (%(kinds)s) to one of %(mail_modes)s.",
                    kinds=", ".join(KINDS),
                    mail_modes=", ".join(MAIL_MODES),
                )
            )
        merged = dict(pref.kinds or {})
        for kind, mode in kinds.items():
            if mode is None:
                merged.pop(kind, None)
            else:
                merged[kind] = mode
        pref.kinds = merged
    if "list_mail" in data:
        if not isinstance(data["list_mail"], bool):
            raise ValidationError(_l("list_mail must be true or false."))
        pref.list_mail = data["list_mail"]
    if "ui_language" in data:
        lang = data["ui_language"]
        if lang is not None and lang not in UI_LANGUAGES:
            raise ValidationError(
                _l(
                    "ui_language must be one of %(ui_languages)s or null.",
                    ui_languages=", ".join(UI_LANGUAGES),
                )
            )
        user.ui_language = lang
    db.session.add(pref)
    db.session.flush()
    return pref


def follow(user_id: int, kind: str, target_id: int, *, automatic: bool = False) -> Follow:
    """Follow a target; following it again keeps the one follow (and makes it explicit)."""
    if kind not in FOLLOW_KINDS:
        raise ValidationError(
            _l("kind must be one of %(follow_kinds)s.", follow_kinds=", ".join(FOLLOW_KINDS))
        )
    existing = db.session.scalar(
        select(Follow).where(
            Follow.user_id == user_id, Follow.target_kind == kind, Follow.target_id == target_id
        )
    )
    if existing is not None:
        if not automatic:
            existing.is_automatic = False
            existing.mail_muted = False
        return existing
    row = Follow(user_id=user_id, target_kind=kind, target_id=target_id, is_automatic=automatic)
    db.session.add(row)
    db.session.flush()
    return row


def unfollow(user_id: int, follow_id: int) -> None:
    row = db.session.get(Follow, follow_id)
    if row is None or row.user_id != user_id:
        raise NotFound(_l("No such follow."))
    db.session.delete(row)
    db.session.flush()


def unfollow_target(user_id: int, kind: str, target_id: int) -> None:
    db.session.execute(
        delete(Follow).where(
            Follow.user_id == user_id, Follow.target_kind == kind, Follow.target_id == target_id
        )
    )


def mark_read(user_id: int, notification_id: int | None = None) -> None:
    """Mark one notification (or, with None, all of them) read."""
    query = select(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    now = utcnow()
    for row in db.session.scalars(query):
        row.read_at = now
    db.session.flush()


_quiet: ContextVar[bool] = ContextVar("notifications_quiet", default=False)


@contextmanager
def without_notifications():
    """Events in this block notify nobody (sample content: the demo is the past, not news)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def notify(
    recipients: dict[int, Follow | None],
    *,
    kind: str,
    title: str,
    values: dict,
    url: str,
    text: str = "",
    text_key: str | None = None,
    reply_target: str | None = None,
    actor=None,
    no_mail: set[int] | frozenset = frozenset(),
) -> list[Notification]:
    """One notification per recipient (never the actor); mail now for those who want it now.

    `title` (and `text_key`, a fixed sentence) name messages of messages.py, filled with
    `values` in each reader's language; `text` is what a person wrote, shown as written.
    """
    if _quiet.get():
        return []
    args = make_args(title, values, text_key)
    english_title, english_text = english(args)
    made = []
    actor_id = getattr(actor, "id", None)
    for user_id, via in recipients.items():
        if user_id == actor_id:
            continue
        pref = preference_of(user_id)
        muted = user_id in no_mail or (via is not None and via.mail_muted)
        mode = "off" if muted else mail_mode(pref, kind)
        row = Notification(
            user_id=user_id,
            kind=kind,
            title=english_title[:300],
            args=args,
            text=english_text if english_text is not None else text,
            url=url[:500],
            follow_id=via.id if via is not None else None,
            mail_mode=mode,
        )
        db.session.add(row)
        made.append(row)
    db.session.flush()
    for row in made:
        if row.mail_mode == "immediately":
            mail_notification(row, reply_target=reply_target)
    return made


def followers(kind: str, target_id: int) -> dict[int, Follow]:
    rows = db.session.scalars(
        select(Follow).where(Follow.target_kind == kind, Follow.target_id == target_id)
    )
    return {row.user_id: row for row in rows}
