"""The OpenAPI description of the audit log API (app/audit/api.py)."""

from app.core.openapi import ERROR_CONTENT, document_paths, schema_ref

document_paths(
    {
        "/api/audit": {
            "get": {
                "summary": "Audit entries of a public object (everything for administrators)",
                "tags": ["audit"],
                "parameters": [
                    {
                        "name": "object",
                        "in": "query",
                        "required": False,
                        "description": '"<kind>:<id>", e.g. "amendment:12", "user:3", '
                        '"body:<slug>"; required except for administrators',
                        "schema": {"type": "string", "maxLength": 100},
                    },
                    {
                        "name": "action",
                        "in": "query",
                        "required": False,
                        "description": 'an action or its prefix: "group", "amendment.rejected"',
                        "schema": {"type": "string", "maxLength": 48},
                    },
                    {
                        "name": "page",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100000},
                    },
                ],
                "security": [{}, {"bearer": []}],
                "responses": {
                    "200": {
                        "description": "Entries, newest first",
                        "content": {"application/json": {"schema": schema_ref("AuditPage")}},
                    },
                    "400": {"description": "Bad object or page", **ERROR_CONTENT},
                    "403": {
                        "description": "No object given, and not an administrator",
                        **ERROR_CONTENT,
                    },
                    "401": {"description": "Invalid token", **ERROR_CONTENT},
                    "404": {"description": "Not a public object", **ERROR_CONTENT},
                },
            }
        }
    },
    {
        "AuditEntry": {
            "type": "object",
            "required": ["id", "at", "action", "object", "actor", "before", "after"],
            "properties": {
                "id": {"type": "integer"},
                "at": {"type": "string", "format": "date-time"},
                "action": {"type": "string"},
                "object": {"type": "string"},
                "actor": {
                    "type": ["object", "null"],
                    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                },
                "before": {"type": ["object", "null"]},
                "after": {"type": ["object", "null"]},
                "public": {"type": "boolean"},
            },
        },
        "AuditPage": {
            "type": "object",
            "required": ["entries", "total", "page", "per_page"],
            "properties": {
                "entries": {"type": "array", "items": schema_ref("AuditEntry")},
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
            },
        },
    },
)
