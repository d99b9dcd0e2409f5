"""JSON API: GET /api/me/activity, the caller's own activity (the twin of the page)."""

from flask import jsonify, url_for

from app.accounts.api_auth import api_user
from app.activity import (
    openapi,  # noqa: F401 - registers the description
    queries,
)
from app.core.api import bp
from app.notifications.api import follow_json


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _amendment_url(amendment_id: int, anchor: str | None = None) -> str:
    return url_for("amendments.show", amendment_id=amendment_id, _anchor=anchor)


def activity_json(activity: queries.Activity) -> dict:
    return {
        "amendments": [
            {
                "id": a.id,
                "document": a.document.slug,
                "kind": a.kind,
                "status": a.status,
                "on_behalf_of": a.on_behalf_body.slug if a.on_behalf_body else None,
                "created_at": _iso(a.created_at),
                "url": _amendment_url(a.id),
            }
            for a in activity.amendments
        ],
        "positions": [
            {
                "amendment": a.id,
                "document": a.document.slug,
                "stance": p.stance,
                "amendment_status": a.status,
                "updated_at": _iso(p.updated_at),
                "url": _amendment_url(a.id),
            }
            for p, a in activity.positions
        ],
        "comments": [
            {
                "id": c.id,
                "amendment": c.amendment_id,
                "created_at": _iso(c.created_at),
                "url": _amendment_url(c.amendment_id, f"c-{c.id}"),
            }
            for c in activity.comments
        ],
        "posts": [
            {
                "id": m.id,
                "thread": m.topic_id,
                "subject": m.topic.title,
                "created_at": _iso(m.created_at),
                "url": url_for("discussion.topic", topic_id=m.topic_id, _anchor=f"m-{m.id}"),
            }
            for m in activity.posts
        ],
        "follows": [follow_json(f) for f, _label, _path in activity.follows],
    }


@bp.get("/me/activity")
def api_my_activity():
    user = api_user()
    return jsonify(activity_json(queries.activity_of(user.id)))
