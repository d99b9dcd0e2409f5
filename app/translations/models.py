"""Language versions of documents: translated paragraphs aligned by key, with their own history.

A translation's state is never stored: it is derived in SQL by comparing `source_text` with the
text of the same key in the document's current version (see queries.py), so that every way a
version is created (amendment, published live draft, import) makes a translation outdated.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

STATES = {
    "missing": _l("Missing"),
    "translated": _l("Translated"),
    "outdated": _l("Outdated"),
    "reviewed": _l("Reviewed"),
}
# States a translator still has work on (reviewed paragraphs are done).
NEEDS_WORK = ("missing", "outdated", "translated")


class DocumentLanguage(db.Model):
    """A language version of a document, added by the translation team or an administrator."""

    __tablename__ = "document_language"
    __table_args__ = (UniqueConstraint("document_id", "lang"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    lang: Mapped[str] = mapped_column(String(35))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document = relationship("Document")
    added_by = relationship("User")


class Translation(db.Model):
    """The current translation of one source paragraph (by key) into one language."""

    __tablename__ = "translation"
    __table_args__ = (
        UniqueConstraint("document_id", "lang", "key"),
        Index("ix_translation_document_lang", "document_id", "lang"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(35))
    key: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    # The exact source paragraph text this translation translates.
    source_text: Mapped[str] = mapped_column(Text)
    translator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Optimistic saves: a form or API client sends the version it edited.
    version: Mapped[int] = mapped_column(Integer, default=1)

    translator = relationship("User", foreign_keys=[translator_id])
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    revisions: Mapped[list["TranslationRevision"]] = relationship(
        back_populates="translation",
        order_by="TranslationRevision.version",
        cascade="all, delete-orphan",
    )


class TranslationRevision(db.Model):
    """One saved state of a translation, kept forever."""

    __tablename__ = "translation_revision"
    __table_args__ = (UniqueConstraint("translation_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("translation.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    source_text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # "edit" in the translator's view or API, "xliff" for an import.
    origin: Mapped[str] = mapped_column(String(16), default="edit")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    translation: Mapped[Translation] = relationship(back_populates="revisions")
    author = relationship("User")
