"""Reading the audit log: one object's public trail, or everything with filters for admins."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.audit.services import PUBLIC_KINDS
from app.bodies.queries import body_by_slug
from app.core.errors import NotFound, ValidationError
from app.extensions import db

PER_PAGE = 100


def parse_object(value: str) -> tuple[str, str]:
    """("amendment", "12") from "amendment:12"; a body may be named by its slug."""
    kind, _, ident = (value or "").partition(":")
    if not kind or not ident or len(value) > 100 or not kind.replace("_", "").isalpha():
        raise ValidationError(
            _l('object is "<kind>:<id>", e.g. "amendment:12" or "user:3".'), code="bad_object"
        )
    if kind == "body" and not (ident.isascii() and ident.isdigit()):
        body = body_by_slug(ident)
        if body is None:
            raise NotFound(_l("No body %(ident)s.", ident=repr(ident)))
        ident = str(body.id)
    return kind, ident


def is_public_kind(kind: str) -> bool:
    return kind in PUBLIC_KINDS


@dataclass
class Filters:
    object_kind: str | None = None
    object_id: str | None = None
    action: str | None = None
    actor_id: int | None = None


def entries(filters: Filters, *, public_only: bool, page: int = 1, per_page: int = PER_PAGE):
    """(entries newest first, total count) matching the filters."""
    query = select(AuditEntry)
    if public_only:
        query = query.where(AuditEntry.is_public.is_(True))
    if filters.object_kind:
        query = query.where(AuditEntry.object_kind == filters.object_kind)
    if filters.object_id:
        query = query.where(AuditEntry.object_id == filters.object_id)
    if filters.action:
        # "group" matches group.requested, group.confirmed...; "group.confirmed" only itself.
        query = query.where(
            (AuditEntry.action == filters.action)
            | AuditEntry.action.startswith(filters.action + ".", autoescape=True)
        )
    if filters.actor_id:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(AuditEntry.id.desc()).limit(per_page).offset((page - 1) * per_page)
    )
    return list(rows), int(total or 0)


def entry_json(entry: AuditEntry, *, full: bool) -> dict:
    """An entry as the API shows it; moderators stay unnamed outside the administrators' view."""
    anonymous = not full and entry.action.startswith(("moderation.", "report."))
    return {
        "id": entry.id,
        "at": entry.created_at.isoformat(),
        "action": entry.action,
        "object": entry.object,
        "actor": None
        if anonymous or entry.actor_id is None
        else {"id": entry.actor_id, "name": entry.actor_name},
        "before": entry.before,
        "after": entry.after,
        **({"public": entry.is_public} if full else {}),
    }
