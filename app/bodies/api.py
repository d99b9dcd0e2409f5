"""JSON API: bodies and their members."""

from flask import jsonify

from app.bodies.models import COORDINATOR
from app.bodies.queries import bodies_by_kind, coordinators_by_body, get_body, memberships
from app.core.api import bp
from app.core.openapi import document_paths, path_param


def _person(user) -> dict:
    return {"name": user.name, "group": user.group, "side": user.side}


def _summary(body, count: int, coordinators) -> dict:
    return {
        "slug": body.slug,
        "name": body.name,
        "kind": body.kind,
        "coordinators": [_person(u) for u in coordinators],
        "member_count": count,
    }


@bp.route("/bodies")
def api_bodies():
    by_body = coordinators_by_body()
    return jsonify(
        {
            "bodies": [
                _summary(body, count, by_body.get(body.id, []))
                for _, _, items in bodies_by_kind()
                for body, count in items
            ]
        }
    )


@bp.route("/bodies/<slug>")
def api_body(slug):
    body = get_body(slug)
    active = memberships(body.id)
    data = _summary(body, len(active), [m.user for m in active if m.role == COORDINATOR])
    data.update(
        {
            "team_role": body.team_role,
            "purpose": body.purpose,
            "is_open": body.is_open,
            "members": [{**_person(m.user), "role": m.role} for m in active],
        }
    )
    return jsonify(data)


_PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "group": {"type": "string"},
        "side": {"type": ["string", "null"], "enum": ["north", "south", None]},
    },
}
_NOT_FOUND = {
    "description": "Unknown",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _ok(ref: str, description: str) -> dict:
    return {
        "200": {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
        }
    }


_SLUG = path_param("slug")

document_paths(
    {
        "/api/bodies": {
            "get": {
                "summary": "List bodies",
                "tags": ["bodies"],
                "responses": _ok("BodyList", "Every body with its coordinators and member count"),
            }
        },
        "/api/bodies/{slug}": {
            "get": {
                "summary": "One body with its members",
                "tags": ["bodies"],
                "parameters": [_SLUG],
                "responses": {**_ok("BodyDetail", "The body"), "404": _NOT_FOUND},
            }
        },
    },
    {
        "BodySummary": {
            "type": "object",
            "required": ["slug", "name", "kind", "member_count"],
            "properties": {
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "kind": {
                    "type": "string",
                    "enum": [
                        "bureau",
                        "plenary",
                        "team",
                        "regional_caucus",
                        "thematic_caucus",
                        "working_group",
                        "focal_points",
                    ],
                },
                "coordinators": {"type": "array", "items": _PERSON},
                "member_count": {"type": "integer"},
            },
        },
        "BodyList": {
            "type": "object",
            "properties": {
                "bodies": {"type": "array", "items": {"$ref": "#/components/schemas/BodySummary"}}
            },
        },
        "BodyDetail": {
            "allOf": [
                {"$ref": "#/components/schemas/BodySummary"},
                {
                    "type": "object",
                    "properties": {
                        "team_role": {"type": ["string", "null"]},
                        "purpose": {"type": "string"},
                        "is_open": {"type": "boolean"},
                        "members": {
                            "type": "array",
                            "items": {
                                "allOf": [
                                    _PERSON,
                                    {
                                        "type": "object",
                                        "properties": {
                                            "role": {
                                                "type": "string",
                                                "enum": ["member", "coordinator"],
                                            }
                                        },
                                    },
                                ]
                            },
                        },
                    },
                },
            ]
        },
    },
)
