"""What a discussion post is as mail: its Message-ID and, for a mailed post, what came with it."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db


class ListPost(db.Model):
    """The mail identity of one post of a body's discussion (written on the web or mailed).

    The Message-ID threads list copies in mail clients and threads mailed replies into the
    archive; a mailed post keeps the Message-ID its author's client gave it, and its header
    block, so the archive holds the full message it received.
    """

    __tablename__ = "mail_list_post"
    __table_args__ = (UniqueConstraint("message_id"), UniqueConstraint("rfc_message_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"))
    rfc_message_id: Mapped[str] = mapped_column(String(255))
    via_mail: Mapped[bool] = mapped_column(Boolean, default=False)
    envelope_from: Mapped[str | None] = mapped_column(String(254))
    headers: Mapped[str | None] = mapped_column(Text)
    # Names of the attachments that were not published, one a line.
    attachments: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    message = relationship("Message")
