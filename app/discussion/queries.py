"""Reading the archives: threads, lists by thread and by date, summaries (search: app/search)."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.discussion.models import Message, Topic
from app.extensions import db

PER_PAGE = 30


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _place(statement, body_id: int | None, document_id: int | None):
    if body_id is not None:
        statement = statement.where(Topic.body_id == body_id)
    if document_id is not None:
        statement = statement.where(Topic.document_id == document_id)
    return statement


def thread(topic: Topic) -> list[tuple[Message, int]]:
    """The topic's messages in thread order (each reply under what it answers), with depth."""
    messages = (
        db.session.scalars(
            select(Message)
            .where(Message.topic_id == topic.id)
            .options(
                joinedload(Message.author),
                joinedload(Message.on_behalf_body),
                selectinload(Message.revisions),
            )
            .order_by(Message.created_at, Message.id)
        )
        .unique()
        .all()
    )
    known = {m.id for m in messages}
    children: dict[int | None, list[Message]] = {}
    for message in messages:
        parent = message.parent_id if message.parent_id in known else None
        children.setdefault(parent, []).append(message)
    ordered: list[tuple[Message, int]] = []
    stack = [(m, 0) for m in reversed(children.get(None, []))]
    while stack:
        message, depth = stack.pop()
        ordered.append((message, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(message.id, [])))
    return ordered


def topics(*, body_id=None, document_id=None, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Topics, most recently active first, each with its number of messages."""
    counts = (
        select(Message.topic_id, func.count(Message.id).label("n"))
        .group_by(Message.topic_id)
        .subquery()
    )
    base = _place(select(Topic), body_id, document_id)
    total = db.session.scalar(_place(select(func.count(Topic.id)), body_id, document_id)) or 0
    rows = (
        db.session.execute(
            base.add_columns(func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.topic_id == Topic.id)
            .options(
                joinedload(Topic.author),
                joinedload(Topic.on_behalf_body),
                joinedload(Topic.body),
                joinedload(Topic.document),
            )
            .order_by(Topic.last_post_at.desc(), Topic.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        .unique()
        .all()
    )
    return Page([(topic, count) for topic, count in rows], total, page, per_page)


def messages_by_date(
    *, body_id=None, document_id=None, page: int = 1, per_page: int = PER_PAGE
) -> Page:
    """Messages, newest first, with their topics."""
    total = (
        db.session.scalar(
            _place(
                select(func.count(Message.id)).join(Topic, Topic.id == Message.topic_id),
                body_id,
                document_id,
            )
        )
        or 0
    )
    items = (
        db.session.scalars(
            _place(select(Message).join(Topic, Topic.id == Message.topic_id), body_id, document_id)
            .options(
                joinedload(Message.author),
                joinedload(Message.on_behalf_body),
                joinedload(Message.topic).joinedload(Topic.body),
                joinedload(Message.topic).joinedload(Topic.document),
            )
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        .unique()
        .all()
    )
    return Page(list(items), total, page, per_page)


def recent_messages(*, body_id=None, document_id=None, limit: int = 50) -> list[Message]:
    return messages_by_date(body_id=body_id, document_id=document_id, per_page=limit).items


def archive_summary(*, body_id=None, document_id=None, limit: int = 5) -> dict:
    """Counts and the most recently active topics of one archive (for body and document pages)."""
    message_count = (
        db.session.scalar(
            _place(
                select(func.count(Message.id)).join(Topic, Topic.id == Message.topic_id),
                body_id,
                document_id,
            )
        )
        or 0
    )
    listing = topics(body_id=body_id, document_id=document_id, per_page=limit)
    return {"topic_count": listing.total, "message_count": message_count, "topics": listing.items}


def first_message_ids(topic_ids: list[int]) -> dict[int, int]:
    """The id of each topic's first message."""
    if not topic_ids:
        return {}
    rows = db.session.execute(
        select(Message.topic_id, func.min(Message.id))
        .where(Message.topic_id.in_(topic_ids))
        .group_by(Message.topic_id)
    )
    return dict(rows.all())
