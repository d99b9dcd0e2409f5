"""Documents, their immutable versions and the paragraphs of each version."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

DOCUMENT_STATUSES = {
    "drafting": _l("Drafting"),
    "open": _l("Open for amendments"),
    "closed": _l("Closed"),
    "adopted": _l("Adopted"),
}
VERSION_CAUSES = {
    "import": _l("Imported"),
    "create": _l("Created"),
    "publish": _l("Published live draft"),
    "amendment": _l("Merged amendment"),
}


class Document(db.Model):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(35), default="en")
    status: Mapped[str] = mapped_column(String(16), default="drafting")
    owner_body_id: Mapped[int | None] = mapped_column(
        ForeignKey("body.id", ondelete="SET NULL"), index=True
    )
    # Where the import came from, so that re-importing the same file adds a version.
    source_path: Mapped[str | None] = mapped_column(String(500))
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("version.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the open amendment period closes by itself (none: the coordinator closes it), and
    # when followers were reminded a day before, so that the reminder goes out once.
    amendments_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    close_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner = relationship("Body")
    current_version: Mapped["Version | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    versions: Mapped[list["Version"]] = relationship(
        back_populates="document", foreign_keys="Version.document_id", order_by="Version.number"
    )

    @property
    def status_label(self) -> str:
        return DOCUMENT_STATUSES.get(self.status, self.status)


class Version(db.Model):
    """An immutable snapshot of a document: never updated once written."""

    __tablename__ = "version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(40))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text, default="")
    cause: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versions", foreign_keys=[document_id])
    author = relationship("User")
    paragraphs: Mapped[list["VersionParagraph"]] = relationship(
        back_populates="version",
        order_by="VersionParagraph.position",
        cascade="all, delete-orphan",
        foreign_keys="VersionParagraph.version_id",
    )

    @property
    def cause_label(self) -> str:
        return VERSION_CAUSES.get(self.cause, self.cause)

    @property
    def markdown(self) -> str:
        return join_paragraphs(p.text for p in self.paragraphs)


class VersionParagraph(db.Model):
    """One paragraph of one version; `key` is the paragraph's identity across versions."""

    __tablename__ = "version_paragraph"
    __table_args__ = (
        UniqueConstraint("version_id", "key"),
        UniqueConstraint("version_id", "position"),
        Index("ix_version_paragraph_document_key", "document_id", "key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    # Blame: the version in which this key last got this text.
    changed_in_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("version.id", ondelete="SET NULL")
    )

    version: Mapped[Version] = relationship(back_populates="paragraphs", foreign_keys=[version_id])
    changed_in: Mapped[Version | None] = relationship(foreign_keys=[changed_in_version_id])

    @property
    def number(self) -> int:
        return self.position + 1


PARAGRAPH_SEPARATOR = "\n\n"


def join_paragraphs(texts) -> str:
    """The Markdown of a whole version: paragraphs separated by one blank line."""
    return PARAGRAPH_SEPARATOR.join(t.strip("\n") for t in texts)
