"""The live working draft of each (document, language) and its replayable edit log."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
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
    """One applied change: `delta` (diff_toDelta) turns the text at rev - 1 into the text at rev."""

    __tablename__ = "edit_log"
    __table_args__ = (UniqueConstraint("live_text_id", "rev"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    live_text_id: Mapped[int] = mapped_column(ForeignKey("live_text.id", ondelete="CASCADE"))
    rev: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    delta: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
