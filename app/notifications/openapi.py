"""The OpenAPI description of follows, notifications and preferences (app/notifications/api.py)."""

from app.core.openapi import ERROR_CONTENT, document_paths, json_request, path_param, schema_ref

_ERR = {"description": "error", **ERROR_CONTENT}
_AUTH = [{"bearer": []}]
_JSON = "application/json"
_MODES = ["immediately", "daily", "weekly", "off"]


def _json(ref: str, description: str = "OK") -> dict:
    return {"description": description, "content": {_JSON: {"schema": schema_ref(ref)}}}


SCHEMAS = {
    "Follow": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": ["document", "amendment", "body", "thread"]},
            "target_id": {"type": "integer"},
            "label": {"type": "string"},
            "url": {"type": "string"},
            "automatic": {"type": "boolean"},
            "mail": {"type": "boolean", "description": "false after a one-click unsubscribe"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "Follows": {
        "type": "object",
        "properties": {"follows": {"type": "array", "items": schema_ref("Follow")}},
    },
    "Notifications": {
        "type": "object",
        "properties": {
            "unread": {"type": "integer"},
            "notifications": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "kind": {"type": "string"},
                        "title": {"type": "string"},
                        "text": {"type": "string"},
                        "url": {"type": "string"},
                        "read": {"type": "boolean"},
                        "created_at": {"type": "string", "format": "date-time"},
                    },
                },
            },
        },
    },
    "Preferences": {
        "type": "object",
        "properties": {
            "email": {"type": "string", "enum": _MODES},
            "kinds": {
                "type": "object",
                "additionalProperties": {"type": "string", "enum": _MODES},
            },
            "ui_language": {
                "type": "string",
                "nullable": True,
                "enum": ["ar", "en", "es", "fr", "ru", "zh", None],
            },
            "list_mail": {"type": "boolean"},
            "email_verified": {"type": "boolean", "readOnly": True},
        },
    },
}

document_paths(
    {
        "/api/follows": {
            "get": {
                "summary": "The caller's follows",
                "tags": ["notifications"],
                "security": _AUTH,
                "responses": {"200": _json("Follows"), "401": _ERR},
            },
            "post": {
                "summary": "Follow a document, amendment, body or thread",
                "tags": ["notifications"],
                "security": _AUTH,
                "requestBody": json_request(
                    {
                        "type": "object",
                        "required": ["kind", "id"],
                        "properties": {
                            "kind": {
                                "type": "string",
                                "enum": ["document", "amendment", "body", "thread"],
                            },
                            "id": {
                                "oneOf": [{"type": "integer"}, {"type": "string"}],
                                "description": "id, or slug for documents and bodies",
                            },
                        },
                    }
                ),
                "responses": {
                    "201": _json("Follow", "following"),
                    "400": _ERR,
                    "401": _ERR,
                    "404": _ERR,
                },
            },
        },
        "/api/follows/{follow_id}": {
            "delete": {
                "summary": "Stop following",
                "tags": ["notifications"],
                "security": _AUTH,
                "parameters": [path_param("follow_id", "integer")],
                "responses": {"204": {"description": "unfollowed"}, "401": _ERR, "404": _ERR},
            },
        },
        "/api/me/notifications": {
            "get": {
                "summary": "The caller's notifications, newest first, with read",
                "tags": ["notifications"],
                "security": _AUTH,
                "responses": {"200": _json("Notifications"), "401": _ERR},
            },
        },
        "/api/me/preferences": {
            "get": {
                "summary": "Mail per kind, interface language, list mail",
                "tags": ["notifications"],
                "security": _AUTH,
                "responses": {"200": _json("Preferences"), "401": _ERR},
            },
            "put": {
                "summary": "Change the named preferences only",
                "tags": ["notifications"],
                "security": _AUTH,
                "requestBody": json_request(schema_ref("Preferences")),
                "responses": {"200": _json("Preferences"), "400": _ERR, "401": _ERR},
            },
        },
    },
    SCHEMAS,
)
