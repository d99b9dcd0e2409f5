"""The OpenAPI description of the moderation API (app/moderation/api.py)."""

from functools import partial

from app.core.openapi import (
    document_paths,
    error_responses,
    json_request,
    path_param,
    schema_ref,
)

_ID = path_param("report_id", "integer")


_errors = partial(
    error_responses,
    {
        "400": "Bad input (reason_required, bad_target)",
        "401": "A bearer token is required",
        "403": "Not a moderator of this content",
        "404": "No such report or content",
        "409": "Already resolved, hidden or reported",
    },
)


def _report_ok(status: str, description: str) -> dict:
    return {
        status: {
            "description": description,
            "content": {"application/json": {"schema": schema_ref("Report")}},
        }
    }


def _resolve(summary: str, required: bool) -> dict:
    reason = {"type": "string", "maxLength": 2000}
    if required:
        reason["minLength"] = 1
    return {
        "post": {
            "summary": summary,
            "tags": ["moderation"],
            "security": [{"bearer": []}],
            "parameters": [_ID],
            "requestBody": json_request(
                {
                    "type": "object",
                    "properties": {"reason": reason},
                    **({"required": ["reason"]} if required else {}),
                }
            ),
            "responses": {
                **_report_ok("200", "The resolved report"),
                **_errors("400", "401", "403", "404", "409"),
            },
        }
    }


document_paths(
    {
        "/api/reports": {
            "post": {
                "summary": "Report a post, comment, amendment rationale or profile",
                "tags": ["moderation"],
                "security": [{"bearer": []}],
                "requestBody": json_request(
                    {
                        "type": "object",
                        "required": ["target", "reason"],
                        "properties": {
                            "target": {
                                "type": "string",
                                "pattern": "^(post|comment|amendment|user):[0-9]+$",
                            },
                            "reason": {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": 2000,
                            },
                        },
                    }
                ),
                "responses": {
                    **_report_ok("201", "The report, waiting for a moderator"),
                    **_errors("400", "401", "404", "409"),
                },
            }
        },
        "/api/reports/{report_id}": {
            "get": {
                "summary": "A report and its outcome (the reporter and moderators)",
                "tags": ["moderation"],
                "security": [{"bearer": []}],
                "parameters": [_ID],
                "responses": {
                    **_report_ok("200", "The report"),
                    **_errors("401", "403", "404"),
                },
            }
        },
        "/api/reports/{report_id}/hide": _resolve(
            "Hide the reported content with a public reason (moderators)", True
        ),
        "/api/reports/{report_id}/dismiss": _resolve(
            "Dismiss the report, leaving the content shown (moderators)", False
        ),
    },
    {
        "Report": {
            "type": "object",
            "required": ["id", "target", "status", "created_at"],
            "properties": {
                "id": {"type": "integer"},
                "target": {"type": "string"},
                "status": {"type": "string", "enum": ["open", "hidden", "dismissed"]},
                "resolution": {"type": ["string", "null"]},
                "reason": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"},
                "resolved_at": {"type": ["string", "null"], "format": "date-time"},
                "also_resolved": {"type": "array", "items": {"type": "integer"}},
            },
        }
    },
)
