"""The OpenAPI description of the caller's own activity (app/activity/api.py)."""

from app.core.openapi import ERROR_CONTENT, document_paths, schema_ref

_TIME = {"type": "string", "format": "date-time"}


def _list_of(properties: dict) -> dict:
    return {"type": "array", "items": {"type": "object", "properties": properties}}


SCHEMAS = {
    "Activity": {
        "type": "object",
        "description": "The caller's own rows, newest first, at most 100 of each kind",
        "properties": {
            "amendments": _list_of(
                {
                    "id": {"type": "integer"},
                    "document": {"type": "string"},
                    "kind": {"type": "string", "enum": ["modify", "insert", "delete"]},
                    "status": {"type": "string"},
                    "on_behalf_of": {"type": ["string", "null"]},
                    "created_at": _TIME,
                    "url": {"type": "string"},
                }
            ),
            "positions": _list_of(
                {
                    "amendment": {"type": "integer"},
                    "document": {"type": "string"},
                    "stance": {"type": "string", "enum": ["support", "oppose", "abstain"]},
                    "amendment_status": {"type": "string"},
                    "updated_at": _TIME,
                    "url": {"type": "string"},
                }
            ),
            "comments": _list_of(
                {
                    "id": {"type": "integer"},
                    "amendment": {"type": "integer"},
                    "created_at": _TIME,
                    "url": {"type": "string"},
                }
            ),
            "posts": _list_of(
                {
                    "id": {"type": "integer"},
                    "thread": {"type": "integer"},
                    "subject": {"type": "string"},
                    "created_at": _TIME,
                    "url": {"type": "string"},
                }
            ),
            "follows": {"type": "array", "items": schema_ref("Follow")},
        },
    },
}

document_paths(
    {
        "/api/me/activity": {
            "get": {
                "summary": "The caller's amendments, positions, comments, posts and follows",
                "tags": ["activity"],
                "security": [{"bearer": []}],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": schema_ref("Activity")}},
                    },
                    "401": {"description": "error", **ERROR_CONTENT},
                },
            },
        },
    },
    SCHEMAS,
)
