"""The OpenAPI description of the discussion archives API (app/discussion/api.py)."""

from app.core.openapi import ERROR_CONTENT, document_paths, path_param, schema_ref

_PAGE = {
    "name": "page",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1, "maximum": 100000},
}
_NOT_FOUND = {"description": "Unknown", **ERROR_CONTENT}
_AUTHOR = {
    "type": ["object", "null"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "group": {"type": "string"},
    },
}

document_paths(
    {
        "/api/bodies/{slug}/threads": {
            "get": {
                "summary": "A body's discussion archive, most recently active thread first",
                "tags": ["discussion"],
                "parameters": [path_param("slug"), _PAGE],
                "responses": {
                    "200": {
                        "description": "Threads",
                        "content": {"application/json": {"schema": schema_ref("ThreadList")}},
                    },
                    "400": {"description": "Bad page", **ERROR_CONTENT},
                    "404": _NOT_FOUND,
                },
            }
        },
        "/api/threads/{topic_id}": {
            "get": {
                "summary": "One thread with its posts; hidden posts carry the moderator's reason",
                "tags": ["discussion"],
                "parameters": [path_param("topic_id", "integer")],
                "responses": {
                    "200": {
                        "description": "The thread",
                        "content": {"application/json": {"schema": schema_ref("Thread")}},
                    },
                    "404": _NOT_FOUND,
                },
            }
        },
    },
    {
        "ThreadList": {
            "type": "object",
            "required": ["threads", "total", "page", "per_page"],
            "properties": {
                "threads": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "title", "posts"],
                        "properties": {
                            "id": {"type": "integer"},
                            "title": {"type": "string"},
                            "author": _AUTHOR,
                            "posts": {"type": "integer"},
                            "created_at": {"type": "string", "format": "date-time"},
                            "last_post_at": {"type": "string", "format": "date-time"},
                            "url": {"type": "string"},
                        },
                    },
                },
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
            },
        },
        "Post": {
            "type": "object",
            "required": ["id", "author", "subject", "body_html", "hidden", "reason"],
            "properties": {
                "id": {"type": "integer"},
                "author": _AUTHOR,
                "on_behalf_of": {"type": ["string", "null"]},
                "subject": {"type": "string"},
                "body_html": {"type": "string"},
                "hidden": {"type": "boolean"},
                "reason": {"type": ["string", "null"]},
                "parent": {"type": ["integer", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "edited_at": {"type": ["string", "null"], "format": "date-time"},
            },
        },
        "Thread": {
            "type": "object",
            "required": ["id", "title", "posts"],
            "properties": {
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "body": {"type": ["string", "null"]},
                "document": {"type": ["string", "null"]},
                "posts": {"type": "array", "items": schema_ref("Post")},
                "url": {"type": "string"},
            },
        },
    },
)
