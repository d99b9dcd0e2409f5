"""Paragraph amendments, the positions taken on them, their comments and paragraph statuses."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import STAKEHOLDER_GROUPS
from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

KINDS = {"modify": _l("Modify"), "insert": _l("Insert"), "delete": _l("Delete")}
STATUSES = {
    "proposed": _l("Proposed"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
    "conflict": _l("Conflict"),
    "superseded": _l("Superseded"),
}
PENDING = ("proposed", "conflict")
STANCES = {"support": _l("Support"), "oppose": _l("Oppose"), "abstain": _l("Abstain")}
PARAGRAPH_STATUSES = {
    "open": _l("open"),
    "bracketed": _l("bracketed"),
    "agreed_ad_ref": _l("agreed ad ref"),
    "agreed": _l("agreed"),
}


class Amendment(db.Model):
    __tablename__ = "amendment"
    __table_args__ = (Index("ix_amendment_document_status", "document_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    base_version_id: Mapped[int] = mapped_column(ForeignKey("version.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    # modify/delete: the target paragraph; insert: the paragraph it follows (NULL = the start).
    paragraph_key: Mapped[str | None] = mapped_column(String(16), index=True)
    base_text: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The proposer's stakeholder group when proposing: attribution must not move afterwards.
    proposer_group: Mapped[str] = mapped_column(String(32), index=True)
    on_behalf_body_id: Mapped[int | None] = mapped_column(
        ForeignKey("body.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    # Bumped by every rebase, so positions given on an earlier text can be told apart.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    merged_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("version.id", ondelete="SET NULL"), unique=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The public reason given with the last decision (accept, reject, withdraw, ask to rebase).
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document = relationship("Document")
    base_version = relationship("Version", foreign_keys=[base_version_id])
    merged_version = relationship("Version", foreign_keys=[merged_version_id])
    proposer = relationship("User", foreign_keys=[proposer_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    on_behalf_body = relationship("Body")

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    def __repr__(self) -> str:
        return f"<Amendment #{self.id} {self.kind} {self.status}>"


class Position(db.Model):
    """One participant's current stance on one amendment (one row per person and amendment)."""

    __tablename__ = "position"
    __table_args__ = (UniqueConstraint("amendment_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendment.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    stance: Mapped[str] = mapped_column(String(8))
    # The amendment's revision (and base version) the position was given on.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    base_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("version.id", ondelete="SET NULL")
    )
    # The author's stakeholder group when taking the position: a later change of group
    # does not move positions already counted.
    group: Mapped[str | None] = mapped_column("stakeholder_group", String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")


class AmendmentComment(db.Model):
    __tablename__ = "amendment_comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    amendment_id: Mapped[int] = mapped_column(
        ForeignKey("amendment.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    on_behalf_body_id: Mapped[int | None] = mapped_column(
        ForeignKey("body.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author = relationship("User")
    on_behalf_body = relationship("Body")


class ParagraphStatus(db.Model):
    """One row per change of a paragraph's negotiation status: the latest row is the status."""

    __tablename__ = "paragraph_status"
    __table_args__ = (Index("ix_paragraph_status_document_key", "document_id", "paragraph_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    paragraph_key: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(300), default="")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    set_by = relationship("User")

    @property
    def label(self) -> str:
        return PARAGRAPH_STATUSES.get(self.status, self.status)


def attribution(amendment_or_comment, author=None) -> str:
    """How a compilation text names a contribution: "Civil society (Gender caucus)".

    Personal contributions name the person: "Government (Lucas Pereira)".
    """
    person = (
        author or getattr(amendment_or_comment, "proposer", None) or amendment_or_comment.author
    )
    group = getattr(amendment_or_comment, "proposer_group", None) or person.group
    label = STAKEHOLDER_GROUPS.get(group, group)
    body = amendment_or_comment.on_behalf_body
    return f"{label} ({body.name})" if body is not None else f"{label} ({person.name})"
