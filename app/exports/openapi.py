"""The OpenAPI description of the export and import API (app/exports/api.py)."""

from app.core.openapi import ERROR_CONTENT, document_paths, path_param
from app.exports.formats import COMPILATION_FORMATS, DIFF_FORMATS, FORMATS, VERSION_FORMATS

_SLUG = path_param("slug")
_ERR = {"description": "error", **ERROR_CONTENT}
_WRITE = [{"bearer": []}]


def _format(choices) -> dict:
    return {
        "name": "format",
        "in": "query",
        "schema": {"type": "string", "enum": list(choices), "default": "docx"},
    }


def _file(choices) -> dict:
    return {
        "description": "the file, with a Content-Disposition file name naming document, version and language",
        "content": {FORMATS[f].mimetype.split(";")[0]: {} for f in choices},
    }


def _upload(*fields) -> dict:
    properties = {"file": {"type": "string", "format": "binary"}}
    properties.update({name: {"type": "string"} for name in fields})
    return {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "required": ["file"], "properties": properties}
            }
        },
    }


_QUERY = {"in": "query", "schema": {"type": "string"}}

document_paths(
    {
        "/api/documents/{slug}/versions/{number}/export": {
            "get": {
                "summary": "Export a version in a language (docx, pdf, html, md, txt, akn)",
                "parameters": [
                    _SLUG,
                    path_param("number", "integer"),
                    _format(VERSION_FORMATS),
                    {"name": "lang", **_QUERY},
                ],
                "responses": {"200": _file(VERSION_FORMATS), "400": _ERR, "404": _ERR},
            }
        },
        "/api/documents/{slug}/compilation/export": {
            "get": {
                "summary": "The compilation text with pending amendments as tracked changes",
                "parameters": [_SLUG, _format(COMPILATION_FORMATS)],
                "responses": {"200": _file(COMPILATION_FORMATS), "400": _ERR, "404": _ERR},
            }
        },
        "/api/documents/{slug}/diff/export": {
            "get": {
                "summary": "A diff of two versions as tracked changes",
                "parameters": [
                    _SLUG,
                    {"name": "from", **_QUERY},
                    {"name": "to", **_QUERY},
                    _format(DIFF_FORMATS),
                ],
                "responses": {"200": _file(DIFF_FORMATS), "400": _ERR, "404": _ERR},
            }
        },
        "/api/documents/import": {
            "post": {
                "summary": "A new document from a DOCX or Markdown file (administrators)",
                "security": _WRITE,
                "requestBody": _upload("title", "owner"),
                "responses": {
                    "201": {"description": "the document"},
                    "400": _ERR,
                    "401": _ERR,
                    "403": _ERR,
                    "413": _ERR,
                },
            }
        },
        "/api/documents/{slug}/import": {
            "post": {
                "summary": "The next version from a DOCX or Markdown file, keys aligned",
                "security": _WRITE,
                "parameters": [_SLUG],
                "requestBody": _upload("message"),
                "responses": {
                    "200": {"description": "the version, or unchanged"},
                    "201": {"description": "the new version"},
                    "400": _ERR,
                    "401": _ERR,
                    "403": _ERR,
                    "404": _ERR,
                    "413": _ERR,
                },
            }
        },
        "/api/documents/{slug}/amendments/import": {
            "post": {
                "summary": "Amendments from a DOCX edited with Track Changes",
                "description": "Word comments give each amendment its rationale; `rationale` "
                "is used where a paragraph has none. `dry_run=1` answers the plan without proposing.",
                "security": _WRITE,
                "parameters": [_SLUG],
                "requestBody": _upload("on_behalf_of", "rationale", "dry_run"),
                "responses": {
                    "200": {"description": "the plan (dry run)"},
                    "201": {"description": "the amendments"},
                    "400": _ERR,
                    "401": _ERR,
                    "403": _ERR,
                    "404": _ERR,
                    "409": _ERR,
                    "413": _ERR,
                },
            }
        },
    }
)
