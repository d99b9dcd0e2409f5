"""Writing the audit log: one append-only row per change, added inside the change's own
transaction (never committed here)."""

from app.audit.models import AuditEntry
from app.extensions import db

# Kinds of object whose audit trail observers may read (their pages are public).
PUBLIC_KINDS = frozenset(
    {"amendment", "body", "selection", "user", "post", "comment", "document", "version"}
)


def _jsonable(value):
    """Plain JSON values only: dates become ISO strings, unknown objects their str()."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def record(
    action: str,
    object_kind: str,
    object_id,
    *,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    public: bool | None = None,
) -> AuditEntry:
    """Append one entry; public by default when its kind of object is public."""
    actor_id = getattr(actor, "id", None)
    entry = AuditEntry(
        action=action,
        object_kind=object_kind,
        object_id=str(object_id),
        actor_id=actor_id,
        actor_name=(getattr(actor, "name", "") or "")[:120] if actor_id else "",
        before=_jsonable(before),
        after=_jsonable(after),
        is_public=(object_kind in PUBLIC_KINDS) if public is None else public,
    )
    db.session.add(entry)
    return entry
