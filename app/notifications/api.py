"""JSON API: the caller's follows, notifications and preferences."""

from flask import jsonify
from flask_babel import lazy_gettext as _l

from app.accounts.api_auth import api_user
from app.core.api import bp, json_body
from app.core.errors import ValidationError
from app.extensions import db
from app.notifications import (
    openapi,  # noqa: F401 - registers the description
    queries,
    services,
)
from app.notifications.messages import text_of, title_of


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def follow_json(follow) -> dict:
    label, path = queries.describe_follow(follow)
    return {
        "id": follow.id,
        "kind": follow.target_kind,
        "target_id": follow.target_id,
        "label": label,
        "url": path,
        "automatic": follow.is_automatic,
        "mail": not follow.mail_muted,
        "created_at": _iso(follow.created_at),
    }


@bp.route("/follows")
def list_follows():
    user = api_user()
    return jsonify({"follows": [follow_json(f) for f in queries.follows_of(user.id)]})


@bp.route("/follows", methods=["POST"])
def create_follow():
    user = api_user()
    data = json_body()
    ident = data.get("id")
    if not isinstance(ident, (int, str)) or isinstance(ident, bool):
        raise ValidationError(_l("id is the target's id (or slug for documents and bodies)."))
    target_id, _, _ = queries.resolve_target(data.get("kind"), ident)
    follow = services.follow(user.id, data["kind"], target_id)
    db.session.commit()
    return jsonify(follow_json(follow)), 201


@bp.route("/follows/<int:follow_id>", methods=["DELETE"])
def delete_follow(follow_id: int):
    user = api_user()
    services.unfollow(user.id, follow_id)
    db.session.commit()
    return "", 204


@bp.route("/me/notifications")
def my_notifications():
    user = api_user()
    rows = queries.notifications_of(user.id)
    return jsonify(
        {
            "unread": queries.unread_count(user.id),
            "notifications": [
                {
                    "id": n.id,
                    "kind": n.kind,
                    "title": title_of(n),
                    "text": text_of(n),
                    "url": n.url,
                    "read": n.read_at is not None,
                    "created_at": _iso(n.created_at),
                }
                for n in rows
            ],
        }
    )


def _preferences_json(user) -> dict:
    pref = services.preference_of(user.id)
    return {
        "email": pref.email or "immediately",
        "kinds": dict(pref.kinds or {}),
        "ui_language": user.ui_language,
        "list_mail": bool(pref.list_mail),
        "email_verified": user.email_verified_at is not None,
    }


@bp.route("/me/preferences")
def my_preferences():
    return jsonify(_preferences_json(api_user()))


@bp.route("/me/preferences", methods=["PUT"])
def update_my_preferences():
    user = api_user()
    services.update_preferences(user, json_body())
    db.session.commit()
    return jsonify(_preferences_json(user))
