"""JSON API of the caller's own account: PATCH /api/me (a new group is a request: 202)."""

from flask import jsonify
from flask_babel import lazy_gettext as _l

from app.accounts import groups, services
from app.accounts.api_auth import api_user
from app.accounts.models import STAKEHOLDER_GROUPS
from app.core.api import bp, json_body
from app.core.errors import ValidationError
from app.core.openapi import ERROR_CONTENT, document_paths, schema_ref
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


document_paths(
    {
        "/api/me": {
            "patch": {
                "summary": "Change your public details; a new group waits for confirmation",
                "tags": ["accounts"],
                "security": [{"bearer": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {
                                    "name": {"type": "string", "minLength": 1, "maxLength": 120},
                                    "organization": {"type": "string", "maxLength": 200},
                                    "country": {"type": "string", "minLength": 2, "maxLength": 2},
                                    "group": {"type": "string", "enum": list(STAKEHOLDER_GROUPS)},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "Saved",
                        "content": {"application/json": {"schema": schema_ref("MyAccount")}},
                    },
                    "202": {
                        "description": "Saved; the new group is pending_group until an "
                        "administrator or a focal point of that group confirms it",
                        "content": {"application/json": {"schema": schema_ref("MyAccount")}},
                    },
                    "400": {
                        "description": "Bad input (name_bidi, name_imitates...)",
                        **ERROR_CONTENT,
                    },
                    "401": {"description": "A bearer token is required", **ERROR_CONTENT},
                },
            }
        }
    },
    {
        "MyAccount": {
            "type": "object",
            "required": ["id", "name", "group", "verified", "pending_group"],
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "email": {"type": "string"},
                "group": {"type": "string", "enum": list(STAKEHOLDER_GROUPS)},
                "organization": {"type": "string"},
                "country": {"type": "string"},
                "verified": {"type": "boolean"},
                "pending_group": {"type": ["string", "null"]},
            },
        }
    },
)
