"""JSON API of the caller's own account: PATCH /api/me (a new group is a request: 202)."""

from flask import jsonify
from flask_babel import lazy_gettext as _l

from app.accounts import (
    groups,
    openapi,  # noqa: F401 - registers the description
    services,
)
from app.accounts.api_auth import api_user
from app.core.api import bp, json_body
from app.core.errors import ValidationError
from app.extensions import db

FIELDS = ("name", "organization", "country", "group")


def me_json(user) -> dict:
    pending = groups.pending_request(user)
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "group": user.group,
        "organization": user.organization,
        "country": user.country,
        "verified": user.verified_at is not None,
        "pending_group": pending.to_group if pending else None,
    }


@bp.patch("/me")
def api_update_me():
    user = api_user()
    data = json_body()
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError(
            _l("Unknown field(s): %(fields)s.", fields=", ".join(sorted(unknown)))
        )
    if any(not isinstance(data[k], str) for k in data):
        raise ValidationError(_l("Every field is a string."))
    requested = services.update_profile(
        user,
        name=data.get("name", user.name),
        organization=data.get("organization", user.organization),
        country=data.get("country", user.country),
        group=data.get("group"),
    )
    db.session.commit()
    return jsonify(me_json(user)), (202 if requested is not None else 200)
