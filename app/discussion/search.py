"""Full-text search of the archives: one interface over SQLite FTS5 and PostgreSQL text search.

A message matches when every word of the query is in its text or, for the first message of a
topic, in its text and the topic's title taken together. Words match whole and case-insensitively on both
databases (FTS5 `unicode61` tokenizer, PostgreSQL `simple` configuration: no stemming, so
that every language of the summit is searched alike).
"""

import re

from markupsafe import Markup, escape
from sqlalchemy import case, column, event, func, literal, literal_column, select, table, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from app.discussion.models import Message, Topic

FTS_TABLE = "message_fts"
MAX_TERMS = 12
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS message_fts USING fts5("
    "title, text, tokenize = 'unicode61 remove_diacritics 0')",
    # Every insert, edit and delete of a message reaches the index through these triggers.
    """CREATE TRIGGER IF NOT EXISTS message_fts_ai AFTER INSERT ON message BEGIN
      INSERT INTO message_fts(rowid, title, text) VALUES (new.id,
        CASE WHEN new.parent_id IS NULL THEN (SELECT title FROM topic WHERE id = new.topic_id)
        ELSE '' END, new.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS message_fts_au AFTER UPDATE OF text, parent_id, topic_id
    ON message BEGIN
      DELETE FROM message_fts WHERE rowid = old.id;
      INSERT INTO message_fts(rowid, title, text) VALUES (new.id,
        CASE WHEN new.parent_id IS NULL THEN (SELECT title FROM topic WHERE id = new.topic_id)
        ELSE '' END, new.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS message_fts_ad AFTER DELETE ON message BEGIN
      DELETE FROM message_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS message_fts_topic_au AFTER UPDATE OF title ON topic BEGIN
      UPDATE message_fts SET title = new.title
      WHERE rowid IN (SELECT id FROM message WHERE topic_id = new.id AND parent_id IS NULL);
    END""",
]
_SQLITE_FILL = (
    "INSERT INTO message_fts(rowid, title, text) SELECT m.id, "
    "CASE WHEN m.parent_id IS NULL THEN t.title ELSE '' END, m.text "
    "FROM message m JOIN topic t ON t.id = m.topic_id"
)
# The PostgreSQL search expression spans message and topic, so no single-table index serves it;
# archives stay small enough for a scan. A GIN index is the place to start if they grow.
_POSTGRES_DDL: list[str] = []


def ensure_search_index(connection: Connection) -> None:
    """Create the full-text structures when missing (idempotent); safe to call from a migration.

    SQLite: an FTS5 table kept in step by triggers, filled from the existing messages when it is
    created. PostgreSQL: nothing is needed (to_tsvector is computed by the query).
    """
    dialect = connection.dialect.name
    if dialect == "sqlite":
        present = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": FTS_TABLE},
        ).first()
        if present:
            return
        for statement in _SQLITE_DDL:
            connection.execute(text(statement))
        connection.execute(text(_SQLITE_FILL))
    elif dialect == "postgresql":
        for statement in _POSTGRES_DDL:
            connection.execute(text(statement))


def drop_search_index(connection: Connection) -> None:
    """Remove what ensure_search_index created (for a migration's downgrade)."""
    if connection.dialect.name == "sqlite":
        for suffix in ("ai", "au", "ad", "topic_au"):
            connection.execute(text("DROP TRIGGER IF EXISTS message_fts_" + suffix))
        connection.execute(text("DROP TABLE IF EXISTS message_fts"))


@event.listens_for(Message.__table__, "after_create")
def _after_message_table_created(target, connection, **kw):
    ensure_search_index(connection)


@event.listens_for(Message.__table__, "before_drop")
def _before_message_table_dropped(target, connection, **kw):
    drop_search_index(connection)


def search_terms(query: str | None) -> list[str]:
    """The words of a query, lower-cased, without duplicates, at most MAX_TERMS."""
    seen: list[str] = []
    for word in _WORD.findall((query or "").lower()):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def match_condition(dialect: str, terms: list[str]) -> ColumnElement[bool]:
    """A WHERE condition on Message (joined to Topic) true for messages matching every term."""
    if dialect == "sqlite":
        words = " ".join(f'"{term}"' for term in terms)  # terms are letters and digits only
        expression = words  # every word, in the text or (first messages only) the title
        fts = table(FTS_TABLE, column("rowid"))
        return Message.id.in_(
            select(fts.c.rowid).where(literal_column(FTS_TABLE).op("MATCH")(expression))
        )
    config = literal_column("'simple'::regconfig")
    query = func.plainto_tsquery(config, " ".join(terms))
    title = case((Message.parent_id.is_(None), Topic.title), else_=literal(""))
    document = func.to_tsvector(config, title).op("||")(func.to_tsvector(config, Message.text))
    return document.op("@@")(query)


def highlight(source: str, terms: list[str], width: int = 240) -> Markup:
    """An escaped excerpt of `source` around the first matching word, matches in <mark>."""
    plain = " ".join((source or "").split())
    if not terms:
        return escape(plain[:width])
    pattern = re.compile(
        r"(?<![^\W_])(" + "|".join(re.escape(t) for t in terms) + r")(?![^\W_])", re.I
    )
    found = pattern.search(plain)
    start = max(0, (found.start() if found else 0) - width // 3)
    excerpt = plain[start : start + width]
    parts, last = [], 0
    for match in pattern.finditer(excerpt):
        parts.append(str(escape(excerpt[last : match.start()])))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(str(escape(excerpt[last:])))
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(plain) else ""
    return Markup(prefix + "".join(parts) + suffix)  # noqa: S704  (every piece escaped above)
