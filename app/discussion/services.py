"""Starting topics, replying and editing messages in the public archives."""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.bodies.queries import is_member
from app.core import signals
from app.core.errors import Forbidden, NotFound, ValidationError
from app.core.timeutil import utcnow
from app.discussion.models import Message, MessageRevision, Topic
from app.extensions import db

TITLE_MAX = 200
TEXT_MAX = 50_000


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _require_participant(user) -> None:
    if not _authenticated(user):
        raise Forbidden(_l("Log in to take part in the discussion."))


def _clean_text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_l("The message is empty."))
    if len(text) > TEXT_MAX:
        raise ValidationError(
            _l("A message has at most %(TEXT_MAX)s characters.", TEXT_MAX=format(TEXT_MAX, ","))
        )
    return text


def _speaking_for(user, body) -> int | None:
    """The id of the body the user speaks for, after checking the user is a member of it."""
    if body is None:
        return None
    if not is_member(user, body.id):
        raise Forbidden(_l("Only members of %(name)s may post on its behalf.", name=body.name))
    return body.id


def start_topic(
    user, *, title: str, text: str, body=None, document=None, on_behalf_of=None
) -> Topic:
    """Open a topic in the archive of a body or of a document, with its first message."""
    _require_participant(user)
    if (body is None) == (document is None):
        raise ValidationError(_l("A topic belongs to exactly one body or one document."))
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(_l("A topic needs a title."))
    if len(title) > TITLE_MAX:
        raise ValidationError(
            _l("A title has at most %(TITLE_MAX)s characters.", TITLE_MAX=TITLE_MAX)
        )
    text = _clean_text(text)
    behalf_id = _speaking_for(user, on_behalf_of)
    now = utcnow()
    topic = Topic(
        body_id=body.id if body is not None else None,
        document_id=document.id if document is not None else None,
        title=title,
        author_id=user.id,
        on_behalf_body_id=behalf_id,
        created_at=now,
        last_post_at=now,
    )
    db.session.add(topic)
    db.session.flush()
    first = Message(
        topic_id=topic.id,
        author_id=user.id,
        on_behalf_body_id=behalf_id,
        text=text,
        created_at=now,
    )
    db.session.add(first)
    db.session.flush()
    signals.message_posted.send(first, actor=user, topic=topic, parent=None)
    return topic


def reply(
    user, topic: Topic, *, text: str, parent: Message | None = None, on_behalf_of=None
) -> Message:
    """Answer a message of the topic (its first message when `parent` is None)."""
    _require_participant(user)
    if parent is None:
        parent = db.session.scalar(
            db.select(Message).where(Message.topic_id == topic.id).order_by(Message.id).limit(1)
        )
    elif parent.topic_id != topic.id:
        raise ValidationError(_l("The message you answer belongs to another topic."))
    text = _clean_text(text)
    behalf_id = _speaking_for(user, on_behalf_of)
    now = utcnow()
    message = Message(
        topic_id=topic.id,
        parent_id=parent.id if parent is not None else None,
        author_id=user.id,
        on_behalf_body_id=behalf_id,
        text=text,
        created_at=now,
    )
    db.session.add(message)
    topic.last_post_at = now
    db.session.flush()
    signals.message_posted.send(message, actor=user, topic=topic, parent=parent)
    return message


def edit_window() -> timedelta:
    return timedelta(minutes=current_app.config["MESSAGE_EDIT_WINDOW_MINUTES"])


def can_edit(user, message: Message, now=None) -> bool:
    """The author, within the edit window after posting."""
    return (
        _authenticated(user)
        and message.author_id == user.id
        and (now or utcnow()) - message.created_at <= edit_window()
    )


def edit_message(user, message: Message, *, text: str) -> Message:
    """Change a message's text, keeping the text it had before in its history."""
    _require_participant(user)
    if message.author_id != user.id:
        raise Forbidden(_l("Only the author may edit a message."))
    if not can_edit(user, message):
        minutes = current_app.config["MESSAGE_EDIT_WINDOW_MINUTES"]
        raise Forbidden(
            _l(
                "A message can be edited only in the first %(minutes)s minutes after posting.",
                minutes=minutes,
            )
        )
    text = _clean_text(text)
    if text == message.text:
        return message
    db.session.add(
        MessageRevision(
            message_id=message.id,
            text=message.text,
            created_at=message.edited_at or message.created_at,
        )
    )
    message.text = text
    message.edited_at = utcnow()
    db.session.flush()
    signals.message_edited.send(message, actor=user)
    return message


def get_topic(topic_id: int) -> Topic:
    topic = db.session.get(Topic, topic_id)
    if topic is None:
        raise NotFound(_l("No such topic."))
    return topic


def get_message(message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None:
        raise NotFound(_l("No such message."))
    return message
