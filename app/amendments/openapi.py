"""The OpenAPI description of the amendments API (app/amendments/api.py)."""

from functools import partial

from app.amendments.models import STATUSES
from app.core.openapi import (
    ERROR_CONTENT,
    document_paths,
    error_responses,
    json_request,
    path_param,
    schema_ref,
)

_ID = path_param("amendment_id", "integer")
_SLUG = path_param("slug")
_ERR = ERROR_CONTENT
_AMENDMENT = {"content": {"application/json": {"schema": schema_ref("Amendment")}}}
_WRITE = {"security": [{"bearer": []}]}


_errors = partial(
    error_responses,
    {
        400: "Bad input",
        401: "No valid token",
        403: "Not allowed",
        404: "Not found",
        409: "Conflict with the current state",
        413: "Text too long",
    },
)


_REASON = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["reason"],
                "properties": {
                    "reason": {
                        "type": "string",
                        "description": "the public reason for the decision (400 reason_required "
                        "without it)",
                    }
                },
            }
        }
    },
}


def _decision(summary: str, extra: dict | None = None) -> dict:
    return {
        "post": {
            "summary": summary,
            "tags": ["amendments"],
            "parameters": [_ID],
            **_WRITE,
            "requestBody": _REASON,
            "responses": {
                "200": {"description": "The amendment", **_AMENDMENT},
                **(extra or {}),
                **_errors(400, 401, 403, 404, 409, 413),
            },
        }
    }


document_paths(
    {
        "/api/documents/{slug}/amendments": {
            "get": {
                "summary": "Amendments of a document (groups interleaved unless order=chronological)",
                "tags": ["amendments"],
                "parameters": [_SLUG]
                + [
                    {"name": n, "in": "query", "schema": {"type": "string"}, "description": d}
                    for n, d in (
                        ("status", "pending, all (default) or a status"),
                        ("group", "stakeholder group of the proposer"),
                        ("paragraph", "paragraph key"),
                        ("body", "body slug"),
                        ("order", "interleaved (default) or chronological"),
                    )
                ],
                "responses": {
                    "200": {
                        "description": "List",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "amendments": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Amendment"},
                                        }
                                    },
                                }
                            }
                        },
                    },
                    **_errors(400, 404),
                },
            },
            "post": {
                "summary": "Propose an amendment (document must be open)",
                "tags": ["amendments"],
                "parameters": [_SLUG],
                **_WRITE,
                "requestBody": json_request({"$ref": "#/components/schemas/AmendmentProposal"}),
                "responses": {
                    "201": {"description": "Proposed", **_AMENDMENT},
                    **_errors(400, 401, 403, 404, 409, 413),
                },
            },
        },
        "/api/documents/{slug}/amendment-period": {
            "post": {
                "summary": "Open (optionally until a closing date) or close the amendment period",
                "description": "Coordinators of the owning body. A period with `closes_at` "
                "closes by itself at that date; its followers are reminded a day before.",
                "tags": ["amendments"],
                "parameters": [_SLUG],
                **_WRITE,
                "requestBody": json_request(
                    {
                        "type": "object",
                        "required": ["open"],
                        "properties": {
                            "open": {"type": "boolean"},
                            "closes_at": {
                                "type": ["string", "null"],
                                "format": "date-time",
                                "description": "in the future; UTC when no zone given",
                            },
                        },
                    }
                ),
                "responses": {
                    "200": {
                        "description": "The period as it now stands",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "document": {"type": "string"},
                                        "status": {"type": "string"},
                                        "closes_at": {
                                            "type": ["string", "null"],
                                            "format": "date-time",
                                        },
                                    },
                                }
                            }
                        },
                    },
                    **_errors(400, 401, 403, 404, 409),
                },
            }
        },
        "/api/amendments/{amendment_id}": {
            "get": {
                "summary": "One amendment with its equal-weight tally",
                "tags": ["amendments"],
                "parameters": [_ID],
                "responses": {
                    "200": {"description": "The amendment", **_AMENDMENT},
                    **_errors(404),
                },
            }
        },
        "/api/amendments/{amendment_id}/position": {
            "put": {
                "summary": "Take or change your position",
                "tags": ["amendments"],
                "parameters": [_ID],
                **_WRITE,
                "requestBody": json_request(
                    {
                        "type": "object",
                        "required": ["stance"],
                        "properties": {
                            "stance": {
                                "type": "string",
                                "enum": ["support", "oppose", "abstain"],
                            }
                        },
                    }
                ),
                "responses": {
                    "200": {"description": "Your position and the new tally"},
                    **_errors(400, 401, 404, 409),
                },
            },
            "delete": {
                "summary": "Withdraw your position",
                "tags": ["amendments"],
                "parameters": [_ID],
                **_WRITE,
                "responses": {
                    "200": {"description": "Withdrawn and the new tally"},
                    **_errors(401, 404, 409),
                },
            },
        },
        "/api/amendments/{amendment_id}/accept": {
            "post": {
                "summary": "Accept: rebase onto today's paragraph and create a new version "
                "(coordinators of the owning body, administrators)",
                "tags": ["amendments"],
                "parameters": [_ID],
                **_WRITE,
                "requestBody": _REASON,
                "responses": {
                    "200": {
                        "description": "The accepted amendment and the new version",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "amendment": {"$ref": "#/components/schemas/Amendment"},
                                        "version": {"type": "object"},
                                    },
                                }
                            }
                        },
                    },
                    **_errors(400, 401, 403, 404, 413),
                    "409": {
                        "description": "Conflict: the amendment now has status conflict or "
                        "superseded; error.conflict has base_text, current_text",
                        **_ERR,
                    },
                },
            }
        },
        "/api/amendments/{amendment_id}/reject": _decision(
            "Reject (coordinators of the owning body, administrators)"
        ),
        "/api/amendments/{amendment_id}/withdraw": _decision("Withdraw (the proposer)"),
        "/api/amendments/{amendment_id}/request-rebase": _decision(
            "Ask the proposer to rebase onto today's text (coordinators of the owning body, "
            "administrators); the amendment waits with status conflict"
        ),
        "/api/amendments/{amendment_id}/rebase": {
            "post": {
                "summary": "Rebase onto today's paragraph (the proposer); without text the change is "
                "carried over where it applies",
                "tags": ["amendments"],
                "parameters": [_ID],
                **_WRITE,
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"text": {"type": "string"}}}
                        }
                    }
                },
                "responses": {
                    "200": {"description": "The amendment, back to proposed", **_AMENDMENT},
                    **_errors(400, 401, 403, 404, 409, 413),
                },
            }
        },
    },
    {
        "AmendmentProposal": {
            "type": "object",
            "required": ["kind", "rationale"],
            "properties": {
                "kind": {"type": "string", "enum": ["modify", "insert", "delete"]},
                "paragraph": {
                    "type": "string",
                    "description": "key of the paragraph (modify, delete)",
                },
                "after": {
                    "type": ["string", "null"],
                    "description": "insert: key of the paragraph it follows; null = start",
                },
                "text": {"type": "string", "description": "proposed Markdown (modify, insert)"},
                "rationale": {"type": "string"},
                "on_behalf_of": {
                    "type": ["string", "null"],
                    "description": "slug of a body you belong to",
                },
                "version": {"type": "integer", "description": "version number you read (optional)"},
            },
        },
        "Tally": {
            "type": "object",
            "properties": {
                "groups": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "properties": {
                            "support": {"type": "integer"},
                            "oppose": {"type": "integer"},
                            "abstain": {"type": "integer"},
                        },
                    },
                },
                "group_support": {
                    "type": "object",
                    "additionalProperties": {"type": ["number", "null"]},
                },
                "equal_weight": {"type": ["number", "null"]},
                "headcount": {"type": ["number", "null"]},
                "consensus": {"type": "boolean"},
                "positions_on_earlier_text": {"type": "integer"},
                "verified": {
                    "type": "object",
                    "description": "The same scores among verified participants only",
                    "properties": {
                        "groups": {"type": "object"},
                        "equal_weight": {"type": ["number", "null"]},
                        "headcount": {"type": ["number", "null"]},
                        "consensus": {"type": "boolean"},
                        "positions": {"type": "integer"},
                    },
                },
            },
        },
        "Amendment": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "document": {"type": "string"},
                "kind": {"type": "string"},
                "paragraph": {"type": ["string", "null"]},
                "after": {"type": ["string", "null"]},
                "base_version": {"type": "integer"},
                "base_text": {"type": "string"},
                "text": {"type": "string"},
                "rationale": {"type": "string"},
                "hidden": {"type": "boolean"},
                "hidden_reason": {"type": ["string", "null"]},
                "status": {"type": "string", "enum": list(STATUSES)},
                "revision": {"type": "integer"},
                "proposer": {"type": "object"},
                "on_behalf_of": {"type": ["object", "null"]},
                "attribution": {"type": "string"},
                "merged_version": {"type": ["integer", "null"]},
                "decided_at": {"type": ["string", "null"]},
                "decision": {
                    "type": ["object", "null"],
                    "description": "the last decision: status, public reason, by whom, when",
                    "properties": {
                        "status": {"type": "string"},
                        "reason": {"type": "string"},
                        "by": {"type": ["object", "null"]},
                        "at": {"type": "string"},
                    },
                },
                "tally": {"$ref": "#/components/schemas/Tally"},
            },
        },
    },
)
