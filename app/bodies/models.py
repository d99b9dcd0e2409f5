"""Bodies of the summit's civil society (bureau, plenary, teams, caucuses, working groups)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

BODY_KINDS = {
    "bureau": _l("Bureau"),
    "plenary": _l("Plenary"),
    "team": _l("Content and themes team"),
    "regional_caucus": _l("Regional caucus"),
    "thematic_caucus": _l("Thematic caucus"),
    "working_group": _l("Working group"),
    "focal_points": _l("Focal points"),
}
BODY_KINDS_PLURAL = {
    "bureau": _l("Bureau"),
    "plenary": _l("Plenary"),
    "team": _l("Content and themes teams"),
    "regional_caucus": _l("Regional caucuses"),
    "thematic_caucus": _l("Thematic caucuses"),
    "working_group": _l("Working groups"),
    "focal_points": _l("Focal points of the stakeholder groups"),
}
# The role a team plays decides permissions: the drafting team co-edits, the translation team translates.
TEAM_ROLES = {
    "general": _l("General"),
    "coordination": _l("Coordination"),
    "drafting": _l("Drafting"),
    "speaker_nomination": _l("Speaker nomination"),
    "translation": _l("Translation"),
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

    @property
    def team_role_label(self) -> str | None:
        return TEAM_ROLES.get(self.team_role, self.team_role) if self.team_role else None

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


# Selection procedures: who is chosen for a body's seats, by approval voting under a balance rule.
SELECTION_ROLES = {COORDINATOR: _l("Coordinators"), MEMBER: _l("Members")}
NOMINATION = "nomination"
VOTING = "voting"
CLOSED = "closed"
CANCELLED = "cancelled"
# The phase a selection is in at a given time (status is the stored part of it).
PHASES = {
    "nomination": _l("Nominations open"),
    "waiting": _l("Nominations closed, voting not yet open"),
    "voting": _l("Voting open"),
    "counting": _l("Voting ended, waiting for the count"),
    "closed": _l("Closed, result published"),
    "cancelled": _l("Cancelled, no seat assigned"),
}


class Selection(db.Model):
    __tablename__ = "selection"
    __table_args__ = (
        CheckConstraint("seats >= 1", name="seats_positive"),
        CheckConstraint("min_south >= 0 AND min_north >= 0", name="minimums_not_negative"),
        CheckConstraint(
            "max_per_group IS NULL OR max_per_group >= 1", name="max_per_group_positive"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    seats: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16), default=MEMBER)
    # The balance rule: at least min_south / min_north seats, at most max_per_group per group.
    min_south: Mapped[int] = mapped_column(Integer, default=0)
    min_north: Mapped[int] = mapped_column(Integer, default=0)
    max_per_group: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=NOMINATION)
    nomination_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voting_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voting_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The published count: method, rule, votes per candidate, ties and who was elected; for a
    # cancelled selection {"cancelled": true, "reason", "by"} instead.
    result: Mapped[dict | None] = mapped_column(JSON)

    body: Mapped[Body] = relationship()
    opened_by = relationship("User")
    nominations: Mapped[list["Nomination"]] = relationship(
        back_populates="selection", cascade="all, delete-orphan", order_by="Nomination.id"
    )

    def phase(self, now: datetime | None = None) -> str:
        if self.status in (CLOSED, CANCELLED):
            return self.status
        now = now or utcnow()
        if now < self.nomination_ends_at:
            return "nomination"
        if now < self.voting_starts_at:
            return "waiting"
        if now < self.voting_ends_at:
            return "voting"
        return "counting"

    @property
    def phase_label(self) -> str:
        return PHASES[self.phase()]

    @property
    def cancellation(self) -> dict | None:
        """{"reason", "by"} of a cancelled selection, else None."""
        if self.status == CANCELLED and isinstance(self.result, dict):
            return self.result
        return None

    @property
    def count(self) -> dict | None:
        """The published count of a closed selection, else None."""
        if self.status == CLOSED and isinstance(self.result, dict):
            return self.result
        return None

    @property
    def role_label(self) -> str:
        return SELECTION_ROLES.get(self.role, self.role)

    def rule_text(self) -> str:
        parts = []
        if self.min_south:
            parts.append(_l("at least %(n)s seat(s) for the South", n=self.min_south))
        if self.min_north:
            parts.append(_l("at least %(n)s seat(s) for the North", n=self.min_north))
        if self.max_per_group:
            parts.append(_l("at most %(n)s seat(s) per stakeholder group", n=self.max_per_group))
        return "; ".join(str(part) for part in parts) if parts else str(_l("no balance rule"))


class Nomination(db.Model):
    __tablename__ = "nomination"
    __table_args__ = (UniqueConstraint("selection_id", "nominee_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    selection_id: Mapped[int] = mapped_column(
        ForeignKey("selection.id", ondelete="CASCADE"), index=True
    )
    nominee_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    selection: Mapped[Selection] = relationship(back_populates="nominations")
    nominee = relationship("User", foreign_keys=[nominee_id])
    nominated_by = relationship("User", foreign_keys=[nominated_by_id])


class Ballot(db.Model):
    """One voter's approval ballot; the unique constraint is what makes it one per voter."""

    __tablename__ = "ballot"
    __table_args__ = (UniqueConstraint("selection_id", "voter_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    selection_id: Mapped[int] = mapped_column(
        ForeignKey("selection.id", ondelete="CASCADE"), index=True
    )
    voter_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    choices: Mapped[list["BallotChoice"]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan"
    )


class BallotChoice(db.Model):
    __tablename__ = "ballot_choice"
    __table_args__ = (UniqueConstraint("ballot_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), index=True
    )

    ballot: Mapped[Ballot] = relationship(back_populates="choices")
