"""People and their personal API tokens."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.regions import country_name, region_of, side_of
from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

STAKEHOLDER_GROUPS = {
    "government": _l("Government"),
    "civil_society": _l("Civil society"),
    "private_sector": _l("Private sector"),
    "international_organization": _l("International organization"),
}


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    group: Mapped[str] = mapped_column("stakeholder_group", String(32), index=True)
    organization: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2))
    # Stored beside the country so that balance aggregates stay in SQL.
    region: Mapped[str | None] = mapped_column(String(32), index=True)
    side: Mapped[str | None] = mapped_column(String(5), index=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped at login and logout so that old session cookies stop working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The name's confusable skeleton (app/accounts/names.py): look-alike names share it.
    name_key: Mapped[str] = mapped_column(String(480), default="", index=True)
    # Set by a focal point of the person's stakeholder group; cleared when the group changes.
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Mail features wait for a verified address; registration itself does not.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ui_language: Mapped[str | None] = mapped_column(String(8))

    tokens: Mapped[list["ApiToken"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    verified_by: Mapped["User | None"] = relationship(remote_side=[id])

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    def set_country(self, code: str) -> None:
        self.country = code.upper()
        self.region = region_of(code)
        self.side = side_of(code)

    @property
    def group_label(self) -> str:
        return STAKEHOLDER_GROUPS.get(self.group, self.group)

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # SHA-256 of the token: the token itself has 256 bits of entropy, so a fast hash suffices.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


GROUP_REQUEST_STATUSES = {
    "pending": "Waiting for confirmation",
    "confirmed": "Confirmed",
    "refused": "Refused",
    "cancelled": "Cancelled",
}


class GroupChangeRequest(db.Model):
    """A participant's request to move to another stakeholder group.

    Tallies weigh groups equally, so a group is only changed once an administrator or a
    focal point of the new group confirms; confirmed rows are the public history of changes.
    """

    __tablename__ = "group_change_request"
    __table_args__ = (Index("ix_group_change_request_user_status", "user_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    from_group: Mapped[str] = mapped_column(String(32))
    to_group: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def status_label(self) -> str:
        return GROUP_REQUEST_STATUSES.get(self.status, self.status)

    @property
    def from_label(self) -> str:
        return STAKEHOLDER_GROUPS.get(self.from_group, self.from_group)

    @property
    def to_label(self) -> str:
        return STAKEHOLDER_GROUPS.get(self.to_group, self.to_group)
