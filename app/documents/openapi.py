"""The OpenAPI description of the documents API (app/documents/api.py)."""

from app.core.openapi import ERROR_CONTENT, document_paths, json_request, path_param, schema_ref


def _error(description: str) -> dict:
    return {"description": description, **ERROR_CONTENT}


def _ok(description: str, schema: str, status: str = "200") -> dict:
    return {
        status: {
            "description": description,
            "content": {"application/json": {"schema": schema_ref(schema)}},
        }
    }


SLUG = path_param("slug", description="The document's slug.")
LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "schema": {"type": "string"},
    "description": "A language of the document (BCP 47); default the source language.",
}
NOT_FOUND = _error("No such document (or version, or language).")
BAD_REQUEST = _error("Bad parameters or body; the message says which.")
UNAUTHENTICATED = _error("No valid bearer token.")
FORBIDDEN = _error("The token's owner may not do this.")

VERSION_SUMMARY = {
    "type": "object",
    "properties": {
        "number": {"type": "integer", "minimum": 1},
        "label": {"type": "string", "examples": ["Rev.2"]},
        "created_at": {"type": "string", "format": "date-time"},
    },
    "required": ["number", "label", "created_at"],
}

SCHEMAS = {
    "DocumentSummary": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "string", "enum": ["drafting", "open", "closed", "adopted"]},
            "language": {"type": "string", "description": "Source language."},
            "languages": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Source language first, then translations.",
            },
            "owner": {"type": ["string", "null"], "description": "Slug of the owning body."},
            "latest_version": {"oneOf": [VERSION_SUMMARY, {"type": "null"}]},
            "url": {"type": "string", "format": "uri"},
        },
        "required": ["slug", "title", "status", "languages", "latest_version"],
    },
    "DocumentList": {
        "type": "object",
        "properties": {"documents": {"type": "array", "items": schema_ref("DocumentSummary")}},
    },
    "Version": {
        "type": "object",
        "properties": {
            **VERSION_SUMMARY["properties"],
            "cause": {"type": "string", "enum": ["import", "create", "publish", "amendment"]},
            "message": {"type": "string"},
            "author": {
                "oneOf": [
                    {
                        "type": "object",
                        "properties": {"name": {"type": "string"}, "group": {"type": "string"}},
                    },
                    {"type": "null"},
                ]
            },
        },
    },
    "VersionList": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"},
            "versions": {"type": "array", "items": schema_ref("Version")},
        },
    },
    "Paragraph": {
        "type": "object",
        "properties": {
            "key": {
                "type": "string",
                "description": "Stable identity of the paragraph across versions.",
            },
            "number": {"type": "integer"},
            "text": {"type": "string", "description": "Markdown."},
            "html": {"type": "string", "description": "Sanitised HTML of the Markdown."},
            "changed_in": {
                "type": ["integer", "null"],
                "description": "Version that last changed it.",
            },
            "state": {
                "type": "string",
                "enum": ["missing", "translated", "outdated", "reviewed"],
                "description": "Only in a translation (`lang`).",
            },
            "lang": {"type": "string"},
            "dir": {"type": "string", "enum": ["ltr", "rtl"]},
        },
        "required": ["key", "text", "html"],
    },
    "DocumentText": {
        "type": "object",
        "description": "One version of a document with its paragraphs.",
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "string"},
            "owner": {"type": ["string", "null"]},
            "language": {"type": "string"},
            "lang": {"type": "string"},
            "number": {"type": "integer"},
            "label": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "cause": {"type": "string"},
            "message": {"type": "string"},
            "current": {"type": "boolean"},
            "paragraphs": {"type": "array", "items": schema_ref("Paragraph")},
        },
        "required": ["number", "label", "status", "owner", "paragraphs"],
    },
    "DiffParagraph": {
        "type": "object",
        "properties": {
            "key": {"type": "string"},
            "status": {"type": "string", "enum": ["unchanged", "modified", "inserted", "deleted"]},
            "before": {"type": ["string", "null"]},
            "after": {"type": ["string", "null"]},
            "number_before": {"type": ["integer", "null"]},
            "number_after": {"type": ["integer", "null"]},
            "moved": {
                "type": "boolean",
                "description": "Its place among the other paragraphs changed.",
            },
        },
        "required": ["key", "status", "before", "after"],
    },
    "Diff": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"},
            "from": VERSION_SUMMARY,
            "to": VERSION_SUMMARY,
            "paragraphs": {"type": "array", "items": schema_ref("DiffParagraph")},
        },
    },
    "DocumentCreate": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "maxLength": 300},
            "markdown": {
                "type": "string",
                "description": "One paragraph per top-level Markdown block.",
            },
            "language": {"type": "string", "default": "en"},
            "owner": {"type": ["string", "null"], "description": "Slug of the owning body."},
            "status": {
                "type": "string",
                "enum": ["drafting", "open", "closed", "adopted"],
                "default": "drafting",
            },
        },
        "required": ["title", "markdown"],
    },
    "DocumentUpdate": {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["drafting", "open", "closed", "adopted"]},
            "owner": {"type": ["string", "null"], "description": "Slug of the new owning body."},
        },
        "minProperties": 1,
        "additionalProperties": False,
    },
}

PATHS = {
    "/api/documents": {
        "get": {
            "summary": "List documents",
            "tags": ["documents"],
            "responses": _ok(
                "Every document with its languages and latest version.", "DocumentList"
            ),
        },
        "post": {
            "summary": "Create a document (administrators)",
            "tags": ["documents"],
            "security": [{"bearer": []}],
            "requestBody": json_request(schema_ref("DocumentCreate")),
            "responses": {
                **_ok("The new document's version 1.", "DocumentText", "201"),
                "400": BAD_REQUEST,
                "401": UNAUTHENTICATED,
                "403": FORBIDDEN,
                "413": _error("The Markdown is too large."),
            },
        },
    },
    "/api/documents/{slug}": {
        "get": {
            "summary": "The current version of a document",
            "tags": ["documents"],
            "parameters": [SLUG, LANG],
            "responses": {
                **_ok("Number, label, status, owner and paragraphs.", "DocumentText"),
                "400": BAD_REQUEST,
                "404": NOT_FOUND,
            },
        },
        "patch": {
            "summary": "Change status or owner (owner's coordinators, administrators)",
            "tags": ["documents"],
            "security": [{"bearer": []}],
            "parameters": [SLUG],
            "requestBody": json_request(schema_ref("DocumentUpdate")),
            "responses": {
                **_ok("The document.", "DocumentSummary"),
                "400": BAD_REQUEST,
                "401": UNAUTHENTICATED,
                "403": FORBIDDEN,
                "404": NOT_FOUND,
            },
        },
    },
    "/api/documents/{slug}/versions": {
        "get": {
            "summary": "Versions of a document, newest first",
            "tags": ["documents"],
            "parameters": [SLUG],
            "responses": {**_ok("The versions.", "VersionList"), "404": NOT_FOUND},
        },
    },
    "/api/documents/{slug}/versions/{number}": {
        "get": {
            "summary": "One version of a document",
            "tags": ["documents"],
            "parameters": [
                SLUG,
                {
                    "name": "number",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1},
                },
                LANG,
            ],
            "responses": {
                **_ok("The version with its paragraphs.", "DocumentText"),
                "400": BAD_REQUEST,
                "404": NOT_FOUND,
            },
        },
    },
    "/api/documents/{slug}/diff": {
        "get": {
            "summary": "Paragraph-aligned diff of two versions",
            "tags": ["documents"],
            "parameters": [
                SLUG,
                {
                    "name": "from",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 1},
                    "description": "Earlier version number; default the one before `to`.",
                },
                {
                    "name": "to",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 1},
                    "description": "Later version number; default the current version.",
                },
            ],
            "responses": {
                **_ok("Paragraphs with status unchanged, modified, inserted or deleted.", "Diff"),
                "400": _error("`from` or `to` is not a version number."),
                "404": _error("No such document or version."),
            },
        },
    },
}

document_paths(PATHS, SCHEMAS)
