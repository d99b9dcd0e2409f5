"""The OpenAPI description of the live-draft API (app/coedit/api.py)."""

from app.coedit.queries import MAX_LOG_LIMIT
from app.core.openapi import ERROR_CONTENT, document_paths, json_request, path_param

_DOC = path_param("slug")
_LANG = {
    "name": "lang",
    "in": "query",
    "schema": {"type": "string"},
    "description": "Language code; defaults to the document's source language.",
}
_ERROR = ERROR_CONTENT["content"]

document_paths(
    {
        "/api/documents/{slug}/live": {
            "get": {
                "summary": "The working draft (live text) of a document",
                "tags": ["live drafts"],
                "parameters": [_DOC, _LANG],
                "responses": {
                    "200": {
                        "description": "Text and rev",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/LiveText"}
                            }
                        },
                    },
                    "404": {"description": "Unknown document or language", "content": _ERROR},
                },
            }
        },
        "/api/documents/{slug}/live/log": {
            "get": {
                "summary": 'The edit log of the working draft; replaying its deltas from "" gives the text',
                "tags": ["live drafts"],
                "parameters": [
                    _DOC,
                    _LANG,
                    {
                        "name": "after",
                        "in": "query",
                        "schema": {"type": "integer", "default": -1},
                        "description": "Only entries with a greater rev",
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "default": 500, "maximum": MAX_LOG_LIMIT},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "Entries, oldest first",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "entries": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/EditLogEntry"},
                                        }
                                    },
                                }
                            }
                        },
                    },
                    "400": {"description": "Bad parameters", "content": _ERROR},
                    "404": {"description": "Unknown document or language", "content": _ERROR},
                },
            }
        },
        "/api/documents/{slug}/publish": {
            "post": {
                "summary": "Publish the working draft as the document's next version",
                "tags": ["live drafts"],
                "security": [{"bearer": []}],
                "parameters": [_DOC],
                "requestBody": json_request(
                    {
                        "type": "object",
                        "properties": {
                            "lang": {"type": "string"},
                            "message": {"type": "string", "maxLength": 2000},
                        },
                    }
                ),
                "responses": {
                    "201": {
                        "description": "The new version",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "number": {"type": "integer"},
                                        "label": {"type": "string"},
                                        "cause": {"type": "string"},
                                        "message": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "400": {"description": "Nothing to publish, or a bad body", "content": _ERROR},
                    "401": {"description": "No valid token", "content": _ERROR},
                    "403": {
                        "description": "Not a co-editor of this document",
                        "content": _ERROR,
                    },
                    "404": {"description": "Unknown document or language", "content": _ERROR},
                },
            }
        },
    },
    {
        "LiveText": {
            "type": "object",
            "required": ["text", "rev"],
            "properties": {
                "text": {"type": "string"},
                "rev": {"type": "integer"},
                "lang": {"type": "string"},
            },
        },
        "EditLogEntry": {
            "type": "object",
            "required": ["rev", "delta"],
            "properties": {
                "rev": {"type": "integer"},
                "delta": {
                    "type": "string",
                    "description": "diff_toDelta from the text at rev-1 (UTF-16 units)",
                },
                "created_at": {"type": ["string", "null"], "format": "date-time"},
                "user": {
                    "type": ["object", "null"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "group": {"type": "string"},
                    },
                },
            },
        },
    },
)
