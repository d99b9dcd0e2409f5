"""The OpenAPI description of the account API (app/accounts/api.py)."""

from app.accounts.models import STAKEHOLDER_GROUPS
from app.core.openapi import ERROR_CONTENT, document_paths, json_request, schema_ref

document_paths(
    {
        "/api/me": {
            "patch": {
                "summary": "Change your public details; a new group waits for confirmation",
                "tags": ["accounts"],
                "security": [{"bearer": []}],
                "requestBody": json_request(
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "name": {"type": "string", "minLength": 1, "maxLength": 120},
                            "organization": {"type": "string", "maxLength": 200},
                            "country": {"type": "string", "minLength": 2, "maxLength": 2},
                            "group": {"type": "string", "enum": list(STAKEHOLDER_GROUPS)},
                        },
                    }
                ),
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
