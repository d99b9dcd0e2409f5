"""Reads: a person's follows, notifications and unread count; what a follow points at."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from app.amendments.models import Amendment
from app.bodies.models import Body
from app.core.errors import NotFound, ValidationError
from app.discussion.models import Topic
from app.documents.models import Document
from app.extensions import db
from app.notifications.messages import follow_kind_label, text_of, title_of
from app.notifications.models import Follow, Notification


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    )


def notifications_of(user_id: int, limit: int = 100) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def follows_of(user_id: int) -> list[Follow]:
    return list(
        db.session.scalars(select(Follow).where(Follow.user_id == user_id).order_by(Follow.id))
    )


def follow_of(user_id: int | None, kind: str, target_id: int) -> Follow | None:
    if user_id is None:
        return None
    return db.session.scalar(
        select(Follow).where(
            Follow.user_id == user_id, Follow.target_kind == kind, Follow.target_id == target_id
        )
    )


def resolve_target(kind: str, ident) -> tuple[int, str, str]:
    """(id, label, path) of a follow target given by id, or by slug for documents and bodies."""
    models = {"document": Document, "body": Body, "amendment": Amendment, "thread": Topic}
    if not isinstance(kind, str) or kind not in models:
        raise ValidationError(_l("kind must be one of document, amendment, body, thread."))
    model = models[kind]
    row = None
    if kind in {"document", "body"} and isinstance(ident, str) and not ident.isdigit():
        row = db.session.scalar(select(model).where(model.slug == ident))
    elif isinstance(ident, int) or (isinstance(ident, str) and ident.isdigit()):
        number = int(ident)
        if 0 < number < 2**31:
            row = db.session.get(model, number)
    if row is None:
        raise NotFound(_l("No such %(kind)s.", kind=follow_kind_label(kind)))
    return row.id, *_describe(kind, row)


def _describe(kind: str, row) -> tuple[str, str]:
    if kind == "document":
        return row.title, f"/documents/{row.slug}"
    if kind == "body":
        return row.name, f"/bodies/{row.slug}"
    if kind == "amendment":
        return str(_l("Amendment #%(id)s", id=row.id)), f"/amendments/{row.id}"
    return row.title, f"/discussions/{row.id}"


def describe_follow(follow: Follow) -> tuple[str, str]:
    try:
        _, label, path = resolve_target(follow.target_kind, follow.target_id)
    except Exception:  # noqa: BLE001 - a target deleted since: the follow stays listable
        label = _l(
            "%(kind)s #%(id)s (gone)",
            kind=follow_kind_label(follow.target_kind),
            id=follow.target_id,
        )
        return str(label), "/"
    return label, path


def header_context() -> dict:
    """The unread count for the header, only where someone is signed in."""

    def unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return unread_count(current_user.id)

    def follow_state(kind: str, ident) -> bool:
        if not current_user.is_authenticated:
            return False
        try:
            target_id, _, _ = resolve_target(kind, ident)
        except Exception:  # noqa: BLE001 - a page never fails over its follow button
            return False
        return follow_of(current_user.id, kind, target_id) is not None

    return {
        "notifications_unread": unread,
        "follow_state": follow_state,
        "notification_title": title_of,
        "notification_text": text_of,
        "follow_kind_label": follow_kind_label,
    }
