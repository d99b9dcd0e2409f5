"""The live working draft of each (document, language) and its replayable edit log."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db


class LiveText(db.Model):
    """The authoritative co-edited text; `rev` grows by one on every change (compare-and-swap)."""

    __tablename__ = "live_text"
    __table_args__ = (UniqueConstraint("document_id", "lang"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(35))
    text: Mapped[str] = mapped_column(Text, default="")
    rev: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document = relationship("Document")


class EditLog(db.Model):
    """One applied change: `delta` (diff_toDelta) turns the text at rev - 1 into the text at rev.

    A change stored from a co-editing client's sync names that client (`client_id`, issued at
    its join) and `client_n`, its shadow_n after the sync: every edit of that client numbered
    below it is in the text. A client rejoining after the server lost its state learns from
    them which of its unacknowledged edits reached the text (docs/coedit-protocol.md, `join`).
    Other writers (a merged amendment) leave both empty.
    """

    __tablename__ = "edit_log"
    __table_args__ = (
        UniqueConstraint("live_text_id", "rev"),
        Index("ix_edit_log_live_text_client", "live_text_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    live_text_id: Mapped[int] = mapped_column(ForeignKey("live_text.id", ondelete="CASCADE"))
    rev: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    delta: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str | None] = mapped_column(String(64))
    client_n: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
