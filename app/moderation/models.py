"""Reports of posts, comments, rationales and profiles, and what moderators hid after them."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

# What can be reported: a discussion post, an amendment comment, an amendment's rationale,
# a person's profile.
TARGET_KINDS = {
    "post": _l("Discussion post"),
    "comment": _l("Amendment comment"),
    "amendment": _l("Amendment rationale"),
    "user": _l("Profile"),
}
OPEN = "open"
HIDDEN = "hidden"
DISMISSED = "dismissed"
REPORT_STATUSES = {
    OPEN: "Waiting for a moderator",
    HIDDEN: "Hidden by a moderator",
    DISMISSED: "Dismissed by a moderator",
}


class Report(db.Model):
    """One person's report of one piece of content; resolved once, by a moderator."""

    __tablename__ = "report"
    __table_args__ = (
        Index("ix_report_target", "target_kind", "target_id"),
        Index("ix_report_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    # The moderator's public reason for hiding, or their note when dismissing.
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reporter = relationship("User", foreign_keys=[reporter_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])

    @property
    def target(self) -> str:
        return f"{self.target_kind}:{self.target_id}"

    @property
    def status_label(self) -> str:
        return REPORT_STATUSES.get(self.status, self.status)

    @property
    def kind_label(self) -> str:
        return str(TARGET_KINDS.get(self.target_kind, self.target_kind))


class HiddenContent(db.Model):
    """Content a moderator hid: it keeps its place, shown as "hidden by a moderator: reason".

    Nothing is deleted: the content's own row is untouched and this row says why it is hidden.
    """

    __tablename__ = "hidden_content"
    __table_args__ = (UniqueConstraint("target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id", ondelete="SET NULL"))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    hidden_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
