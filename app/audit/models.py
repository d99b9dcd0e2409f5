"""The audit log: one append-only row per decision, role, membership, group, verification and
moderation change."""

from datetime import datetime

from sqlalchemy import DDL, JSON, Boolean, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db


class AuditEntry(db.Model):
    """Who did what to which object, when, and the object's state before and after.

    No foreign keys: an entry outlives the rows it names, and a cascade must never rewrite it.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_object", "object_kind", "object_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    action: Mapped[str] = mapped_column(String(48), index=True)
    object_kind: Mapped[str] = mapped_column(String(24))
    object_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    # Whether observers may read the entry (its object is public and it names nothing private).
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def object(self) -> str:
        return f"{self.object_kind}:{self.object_id}"


# The database itself refuses to change or remove an entry, whatever path tries it.
_SQLITE_GUARDS = [
    "CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
]
_POSTGRES_GUARDS = [
    "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$",
    "CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
]
GUARDS = {"sqlite": _SQLITE_GUARDS, "postgresql": _POSTGRES_GUARDS}

for _dialect, _statements in GUARDS.items():
    for _statement in _statements:
        event.listen(
            AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect)
        )


class AppendOnly(RuntimeError):
    """An attempt to change or remove an audit entry."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper, connection, target) -> None:
    raise AppendOnly("Audit entries are append-only: they are never changed or removed.")
