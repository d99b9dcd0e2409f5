"""The OpenAPI description of the balance API (app/balance/api.py)."""

from app.core.openapi import ERROR_CONTENT, document_paths, path_param, schema_ref

_COUNTS = {
    "type": "object",
    "properties": {
        k: {"type": "integer"} for k in ("participants", "amendments", "positions", "comments")
    },
}
_OK = {
    "200": {
        "description": "Counts and warnings",
        "content": {"application/json": {"schema": schema_ref("Balance")}},
    }
}

document_paths(
    {
        "/api/documents/{slug}/balance": {
            "get": {
                "summary": "Activity on a document by stakeholder group and North/South",
                "tags": ["balance"],
                "parameters": [path_param("slug")],
                "responses": {**_OK, "404": {"description": "Unknown", **ERROR_CONTENT}},
            }
        },
        "/api/balance": {
            "get": {
                "summary": "Site-wide activity by stakeholder group and North/South",
                "tags": ["balance"],
                "responses": _OK,
            }
        },
    },
    {
        "Balance": {
            "type": "object",
            "required": ["groups", "sides", "warnings"],
            "properties": {
                "groups": {
                    "type": "object",
                    "additionalProperties": _COUNTS,
                    "description": "Keyed by stakeholder group",
                },
                "sides": {"type": "object", "properties": {"north": _COUNTS, "south": _COUNTS}},
                "totals": _COUNTS,
                "warnings": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "dimension": {"type": "string", "enum": ["group", "side"]},
                            "key": {"type": "string"},
                            "metric": {"type": "string"},
                            "count": {"type": "integer"},
                            "total": {"type": "integer"},
                            "share": {"type": "integer", "description": "percent"},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
)
