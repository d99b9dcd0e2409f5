"""The engine's TextStore over the database."""

from __future__ import annotations

from app.coedit import queries, services
from app.coedit.engine.store import Change
from app.extensions import db


class SqlStore:
    """Live texts in the database; `save` commits before returning, so acks follow durability."""

    def rev(self, channel: int) -> int:
        return queries.live_rev(channel)

    def load(self, channel: int) -> tuple[str, int]:
        return queries.live_content(channel)

    def deltas(self, channel: int, after: int, upto: int) -> list[tuple[int, str]]:
        return queries.edit_deltas(channel, after, upto)

    def applied(self, channel: int, client_id: str, author) -> int | None:
        return queries.client_applied(channel, client_id, author)

    def save(self, channel: int, old_rev: int, text: str, *, author, delta: str, **client) -> bool:
        return self.save_many(channel, old_rev, [Change(text, author, delta, **client)])

    def save_many(self, channel: int, old_rev: int, changes: list) -> bool:
        """Store the changes as consecutive revs in one transaction, committed before returning."""
        try:
            stored = services.store_live_text_changes(channel, old_rev, changes)
            if stored:
                db.session.commit()
            else:
                db.session.rollback()
            return stored
        except Exception:
            db.session.rollback()
            raise
