"""Public discussion archives: topics of a body or a document, threaded messages, their edits."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db


class Topic(db.Model):
    """A thread in the archive of exactly one body or one document."""

    __tablename__ = "topic"
    __table_args__ = (
        CheckConstraint("(body_id IS NULL) <> (document_id IS NULL)", name="one_place"),
        Index("ix_topic_body_last_post", "body_id", "last_post_at"),
        Index("ix_topic_document_last_post", "document_id", "last_post_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("body.id", ondelete="CASCADE"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    on_behalf_body_id: Mapped[int | None] = mapped_column(
        ForeignKey("body.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    body = relationship("Body", foreign_keys=[body_id])
    document = relationship("Document")
    author = relationship("User")
    on_behalf_body = relationship("Body", foreign_keys=[on_behalf_body_id])
    messages: Mapped[list["Message"]] = relationship(
        back_populates="topic",
        order_by="Message.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def place(self):
        """The body or the document whose archive holds the topic."""
        return self.body if self.body_id is not None else self.document


class Message(db.Model):
    """One post; the first message of a topic has no parent, replies point to the one answered."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("message.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    on_behalf_body_id: Mapped[int | None] = mapped_column(
        ForeignKey("body.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    topic: Mapped[Topic] = relationship(back_populates="messages")
    parent: Mapped["Message | None"] = relationship(remote_side=[id])
    author = relationship("User")
    on_behalf_body = relationship("Body")
    revisions: Mapped[list["MessageRevision"]] = relationship(
        back_populates="message",
        order_by="MessageRevision.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class MessageRevision(db.Model):
    """A text a message had before an edit; `created_at` is when that text was written."""

    __tablename__ = "message_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    message: Mapped[Message] = relationship(back_populates="revisions")
