"""Reads: what one person did on the platform, newest first, each list bounded."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.amendments.models import Amendment, AmendmentComment, Position
from app.discussion.models import Message
from app.extensions import db
from app.notifications.models import Follow
from app.notifications.queries import describe_follow, follows_of

# A person's page stays short; the API answers the same bounded lists.
LIMIT = 100


@dataclass
class Activity:
    amendments: list[Amendment]
    positions: list[tuple[Position, Amendment]]
    comments: list[AmendmentComment]
    posts: list[Message]
    follows: list[tuple[Follow, str, str]]  # (follow, label, path)


def _newest(query, model, limit: int):
    return list(db.session.scalars(query.order_by(model.id.desc()).limit(limit)).unique())


def activity_of(user_id: int, limit: int = LIMIT) -> Activity:
    """The person's own rows only: amendments proposed, positions, comments, posts, follows."""
    amendments = _newest(
        select(Amendment)
        .options(joinedload(Amendment.document), joinedload(Amendment.on_behalf_body))
        .where(Amendment.proposer_id == user_id),
        Amendment,
        limit,
    )
    positions = [
        (position, amendment)
        for position, amendment in db.session.execute(
            select(Position, Amendment)
            .join(Amendment, Amendment.id == Position.amendment_id)
            .options(joinedload(Amendment.document))
            .where(Position.user_id == user_id)
            .order_by(Position.updated_at.desc(), Position.id.desc())
            .limit(limit)
        )
    ]
    comments = _newest(
        select(AmendmentComment).where(AmendmentComment.author_id == user_id),
        AmendmentComment,
        limit,
    )
    posts = _newest(
        select(Message).options(joinedload(Message.topic)).where(Message.author_id == user_id),
        Message,
        limit,
    )
    follows = [(f, *describe_follow(f)) for f in follows_of(user_id)]
    return Activity(amendments, positions, comments, posts, follows)
