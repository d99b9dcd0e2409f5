"""Bodies of the summit's civil society (bureau, plenary, teams, caucuses, working groups)."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

BODY_KINDS = {
    "bureau": "Bureau",
    "plenary": "Plenary",
    "team": "Content and themes team",
    "regional_caucus": "Regional caucus",
    "thematic_caucus": "Thematic caucus",
    "working_group": "Working group",
}
# The role a team plays decides permissions: the drafting team co-edits, the translation team translates.
TEAM_ROLES = {
    "general": "General",
    "coordination": "Coordination",
    "drafting": "Drafting",
    "speaker_nomination": "Speaker nomination",
    "translation": "Translation",
}
MEMBER = "member"
COORDINATOR = "coordinator"
ACTIVE = "active"
REQUESTED = "requested"


class Body(db.Model):
    __tablename__ = "body"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    team_role: Mapped[str | None] = mapped_column(String(32))
    purpose: Mapped[str] = mapped_column(Text, default="")
    # Open bodies are joined freely; closed ones (teams) take requests that coordinators approve.
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="body", cascade="all, delete-orphan"
    )

    @property
    def kind_label(self) -> str:
        return BODY_KINDS.get(self.kind, self.kind)

    def __repr__(self) -> str:
        return f"<Body {self.slug}>"


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("body_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default=MEMBER)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    body: Mapped[Body] = relationship(back_populates="memberships")
    user = relationship("User")
