"""Reads: the moderation queue, a person's own reports, and what is hidden (with why)."""

from flask import g
from sqlalchemy import select

from app.core.errors import NotFound
from app.extensions import db
from app.moderation import permissions
from app.moderation.models import OPEN, HiddenContent, Report
from app.moderation.targets import resolve

QUEUE_LIMIT = 200


def hidden_reasons(kind: str) -> dict[int, str]:
    """{id: public reason} of the hidden content of one kind, read once per request."""
    cache = g.setdefault("_hidden_reasons", {})
    if kind not in cache:
        cache[kind] = dict(
            db.session.execute(
                select(HiddenContent.target_id, HiddenContent.reason).where(
                    HiddenContent.target_kind == kind
                )
            ).all()
        )
    return cache[kind]


def hidden_reason(kind: str, ident: int | None) -> str | None:
    """The public reason the content is hidden for, or None when it is shown."""
    if ident is None:
        return None
    return hidden_reasons(kind).get(ident)


def queue(moderator) -> list[tuple[Report, object]]:
    """Open reports the moderator may act on, oldest first, each with its target."""
    reports = db.session.scalars(
        select(Report).where(Report.status == OPEN).order_by(Report.created_at, Report.id)
    )
    items = []
    for report in reports:
        try:
            target = resolve(report.target_kind, report.target_id)
        except NotFound:
            continue
        if permissions.can_moderate(moderator, target):
            items.append((report, target))
        if len(items) >= QUEUE_LIMIT:
            break
    return items


def reports_by(user, limit: int = 100) -> list[Report]:
    """The person's own reports, newest first, with their outcome."""
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.reporter_id == user.id)
            .order_by(Report.created_at.desc(), Report.id.desc())
            .limit(limit)
        )
    )
