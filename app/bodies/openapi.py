"""The OpenAPI description of the bodies API (app/bodies/api.py)."""

from app.core.openapi import document_paths, path_param

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
