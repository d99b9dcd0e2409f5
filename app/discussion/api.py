"""JSON API of the discussion archives: a body's threads, one thread with its posts.

Posts a moderator hid keep their place, with `hidden` and the public `reason` instead of text.
"""

from flask import jsonify, url_for
from flask_babel import lazy_gettext as _l

from app.bodies.queries import get_body
from app.core.api import bp, page_param
from app.core.errors import NotFound
from app.core.markdown import render_markdown
from app.discussion import (
    openapi,  # noqa: F401 - registers the description
    queries,
)
from app.discussion.models import Topic
from app.extensions import db
from app.moderation.queries import hidden_reason


def _author(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.id, "name": user.name, "group": user.group}


def post_json(message, topic) -> dict:
    reason = hidden_reason("post", message.id)
    return {
        "id": message.id,
        "author": _author(message.author),
        "on_behalf_of": message.on_behalf_body.slug if message.on_behalf_body else None,
        "subject": topic.title if message.parent_id is None else f"Re: {topic.title}",
        "body_html": "" if reason is not None else render_markdown(message.text),
        "hidden": reason is not None,
        "reason": reason,
        "parent": message.parent_id,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
    }


@bp.get("/bodies/<slug>/threads")
def api_body_threads(slug):
    body = get_body(slug)
    listing = queries.topics(body_id=body.id, page=page_param())
    return jsonify(
        {
            "threads": [
                {
                    "id": topic.id,
                    "title": topic.title,
                    "author": _author(topic.author),
                    "posts": count,
                    "created_at": topic.created_at.isoformat(),
                    "last_post_at": topic.last_post_at.isoformat(),
                    "url": url_for("discussion.topic", topic_id=topic.id),
                }
                for topic, count in listing.items
            ],
            "total": listing.total,
            "page": listing.page,
            "per_page": listing.per_page,
        }
    )


@bp.get("/threads/<int:topic_id>")
def api_thread(topic_id: int):
    topic = db.session.get(Topic, topic_id)
    if topic is None:
        raise NotFound(_l("No thread #%(topic_id)s.", topic_id=topic_id))
    return jsonify(
        {
            "id": topic.id,
            "title": topic.title,
            "body": topic.body.slug if topic.body is not None else None,
            "document": topic.document.slug if topic.document is not None else None,
            "posts": [post_json(message, topic) for message, _depth in queries.thread(topic)],
            "url": url_for("discussion.topic", topic_id=topic.id),
        }
    )
