"""The search index: one row per findable thing, with its folded text beside its own.

SQLite: an FTS5 table over the folded columns (external content, kept in step by triggers on
this table). PostgreSQL: a tsvector column with a GIN index, computed when a row is written
(app/search/index.py), from the 'simple' configuration and the row's language configuration.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, event, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

FTS_TABLE = "search_fts"


class SearchEntry(db.Model):
    """A paragraph (source or translation), amendment, comment, post, body or person."""

    __tablename__ = "search_entry"
    __table_args__ = (
        Index("ix_search_entry_target", "kind", "target_id"),
        Index("ix_search_entry_document", "document_id", "kind", "language"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # document, amendment, comment, post, body, person (app/search/kinds.py).
    kind: Mapped[str] = mapped_column(String(16))
    # The id of the indexed row (VersionParagraph, Translation, Amendment, ...).
    target_id: Mapped[int] = mapped_column(Integer)
    # Where it belongs, for filters and links; rows go with their document.
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    body_id: Mapped[int | None] = mapped_column(Integer, index=True)
    stakeholder_group: Mapped[str | None] = mapped_column(String(32), index=True)
    language: Mapped[str | None] = mapped_column(String(35))
    # Paragraph key (documents), amendment id (comments), topic id (posts).
    anchor: Mapped[str] = mapped_column(String(32), default="")
    position: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column("text", Text, default="")
    folded_title: Mapped[str] = mapped_column(Text, default="")
    folded_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    tsv = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"), nullable=True)


_SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(folded_title, folded_text, "
    "content='search_entry', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER IF NOT EXISTS search_fts_ai AFTER INSERT ON search_entry BEGIN
      INSERT INTO search_fts(rowid, folded_title, folded_text)
      VALUES (new.id, new.folded_title, new.folded_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_ad AFTER DELETE ON search_entry BEGIN
      INSERT INTO search_fts(search_fts, rowid, folded_title, folded_text)
      VALUES ('delete', old.id, old.folded_title, old.folded_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_au AFTER UPDATE ON search_entry BEGIN
      INSERT INTO search_fts(search_fts, rowid, folded_title, folded_text)
      VALUES ('delete', old.id, old.folded_title, old.folded_text);
      INSERT INTO search_fts(rowid, folded_title, folded_text)
      VALUES (new.id, new.folded_title, new.folded_text);
    END""",
]
_POSTGRES_DDL = [
    "CREATE INDEX IF NOT EXISTS ix_search_entry_tsv ON search_entry USING gin (tsv)",
]


def ensure_search_index(connection: Connection) -> None:
    """Create the full-text structures beside search_entry (idempotent; used by the migration)."""
    dialect = connection.dialect.name
    statements = (
        _SQLITE_DDL if dialect == "sqlite" else _POSTGRES_DDL if dialect == "postgresql" else []
    )
    for statement in statements:
        connection.execute(text(statement))
    if dialect == "sqlite":
        connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))


def drop_search_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for suffix in ("ai", "ad", "au"):
            connection.execute(text("DROP TRIGGER IF EXISTS search_fts_" + suffix))
        connection.execute(text("DROP TABLE IF EXISTS search_fts"))


@event.listens_for(SearchEntry.__table__, "after_create")
def _after_create(target, connection, **kw):
    ensure_search_index(connection)


@event.listens_for(SearchEntry.__table__, "before_drop")
def _before_drop(target, connection, **kw):
    drop_search_index(connection)
