"""The OpenAPI description of the translation API (app/translations/api.py)."""

from app.core.openapi import ERROR_CONTENT, document_paths, json_request, path_param, schema_ref
from app.translations import xliff

_SLUG = path_param("slug")
_LANG = path_param("lang", description="BCP 47 language code of the language version")
_KEY = path_param("key", description="paragraph key")
_VERSION = {
    "name": "version",
    "in": "query",
    "schema": {"type": "string", "enum": ["2", "1.2"], "default": "2"},
    "description": "XLIFF version",
}
_ERR = {"description": "error", **ERROR_CONTENT}
_WRITE = [{"bearer": []}]
_JSON = "application/json"


def _json(ref: str, description: str = "OK") -> dict:
    return {
        "description": description,
        "content": {_JSON: {"schema": schema_ref(ref)}},
    }


document_paths(
    {
        "/api/documents/{slug}/translations": {
            "get": {
                "summary": "Language versions of a document with their progress",
                "tags": ["translations"],
                "parameters": [_SLUG],
                "responses": {"200": {"description": "languages"}, "404": _ERR},
            },
            "post": {
                "summary": "Add a language version (translation team, administrators)",
                "tags": ["translations"],
                "security": _WRITE,
                "parameters": [_SLUG],
                "requestBody": json_request(
                    {
                        "type": "object",
                        "required": ["lang"],
                        "properties": {"lang": {"type": "string"}},
                    }
                ),
                "responses": {
                    "201": _json("TranslationProgress", "added"),
                    "400": _ERR,
                    "401": _ERR,
                    "403": _ERR,
                    "404": _ERR,
                    "409": _ERR,
                },
            },
        },
        "/api/documents/{slug}/translations/{lang}": {
            "get": {
                "summary": "Aligned paragraphs with state and source text",
                "tags": ["translations"],
                "parameters": [_SLUG, _LANG],
                "responses": {"200": _json("LanguageVersion"), "400": _ERR, "404": _ERR},
            },
        },
        "/api/documents/{slug}/translations/{lang}/{key}": {
            "put": {
                "summary": "Save the translation of one paragraph; 409 with both texts on a stale version",
                "tags": ["translations"],
                "security": _WRITE,
                "parameters": [_SLUG, _LANG, _KEY],
                "requestBody": json_request(
                    {
                        "type": "object",
                        "required": ["text"],
                        "properties": {
                            "text": {"type": "string"},
                            "version": {
                                "type": "integer",
                                "description": (
                                    "version edited; 0 for new. Required when the "
                                    "paragraph is already translated (else 409)"
                                ),
                            },
                        },
                    }
                ),
                "responses": {
                    "200": {"description": "saved"},
                    "400": _ERR,
                    "401": _ERR,
                    "403": _ERR,
                    "404": _ERR,
                    "409": _ERR,
                },
            },
        },
        "/api/documents/{slug}/translations/{lang}/{key}/review": {
            "post": {
                "summary": "Review another translator's translation",
                "tags": ["translations"],
                "security": _WRITE,
                "parameters": [_SLUG, _LANG, _KEY],
                "responses": {
                    "200": {"description": "reviewed"},
                    "400": _ERR,
                    "401": _ERR,
                    "403": _ERR,
                    "404": _ERR,
                    "409": _ERR,
                },
            },
        },
        "/api/documents/{slug}/translations/{lang}/xliff": {
            "get": {
                "summary": "Export the language version as XLIFF 2.0 or 1.2",
                "tags": ["translations"],
                "parameters": [_SLUG, _LANG, _VERSION],
                "responses": {
                    "200": {
                        "description": "XLIFF file",
                        "content": {xliff.MEDIA_TYPE: {"schema": {"type": "string"}}},
                    },
                    "400": _ERR,
                    "404": _ERR,
                },
            },
            "post": {
                "summary": "Import an edited XLIFF file (2.0 or 1.2, detected); per-unit report",
                "tags": ["translations"],
                "security": _WRITE,
                "parameters": [_SLUG, _LANG],
                "requestBody": {
                    "required": True,
                    "content": {
                        xliff.MEDIA_TYPE: {"schema": {"type": "string"}},
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {"file": {"type": "string", "format": "binary"}},
                            }
                        },
                    },
                },
                "responses": {
                    "200": _json("XliffImportReport"),
                    "400": _ERR,
                    "401": _ERR,
                    "403": _ERR,
                    "404": _ERR,
                    "413": _ERR,
                },
            },
        },
    },
    {
        "TranslationProgress": {
            "type": "object",
            "properties": {
                "lang": {"type": "string"},
                "name": {"type": "string"},
                "dir": {"enum": ["ltr", "rtl"]},
                "total": {"type": "integer"},
                **{
                    state: {
                        "type": "object",
                        "properties": {"count": {"type": "integer"}, "percent": {"type": "number"}},
                    }
                    for state in ("reviewed", "translated", "outdated", "missing")
                },
            },
        },
        "LanguageVersion": {
            "type": "object",
            "properties": {
                "document": {"type": "string"},
                "lang": {"type": "string"},
                "dir": {"enum": ["ltr", "rtl"]},
                "progress": {"$ref": "#/components/schemas/TranslationProgress"},
                "paragraphs": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "key": {"type": "string"},
                            "number": {"type": "integer"},
                            "source": {"type": "string"},
                            "state": {"enum": ["missing", "translated", "outdated", "reviewed"]},
                            "translation": {"type": ["object", "null"]},
                        },
                    },
                },
            },
        },
        "XliffImportReport": {
            "type": "object",
            "properties": {
                "version": {"type": "string"},
                "applied": {"type": "integer"},
                "unchanged": {"type": "integer"},
                "refused": {"type": "integer"},
                "units": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "string"},
                            "outcome": {"enum": ["applied", "unchanged", "refused"]},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
)
