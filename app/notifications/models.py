"""What people follow, what they are told, and how they want to be told."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

FOLLOW_KINDS = ("document", "amendment", "body", "thread")
MAIL_MODES = ("immediately", "daily", "weekly", "off")


class Follow(db.Model):
    __tablename__ = "follow"
    __table_args__ = (
        UniqueConstraint("user_id", "target_kind", "target_id"),
        Index("ix_follow_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    # Automatic follows come from proposing, commenting or taking a position.
    is_automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by one-click unsubscribe from a notification mail: in-app only from then on.
    mail_muted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_read", "user_id", "read_at"),
        Index("ix_notification_digest", "mail_mode", "mailed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    # The English title, kept as the fallback for rows made before `args` existed.
    title: Mapped[str] = mapped_column(String(300))
    # What the title and text are made of ({"title": key, "text": key or absent, values...}),
    # so that each reader sees them in their own language.
    args: Mapped[dict | None] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500))
    follow_id: Mapped[int | None] = mapped_column(ForeignKey("follow.id", ondelete="SET NULL"))
    # How this one is mailed, decided when it is made: immediately, daily, weekly or off.
    mail_mode: Mapped[str] = mapped_column(String(12), default="off")
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NotificationPreference(db.Model):
    """The e-mail choice for every kind, per-kind overrides, and list mail on or off."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(12), default="immediately")
    kinds: Mapped[dict] = mapped_column(JSON, default=dict)
    list_mail: Mapped[bool] = mapped_column(Boolean, default=True)
