"""JSON API of live drafts: read the working draft and its edit log, publish it."""

from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from app.accounts.api_auth import api_user
from app.coedit import queries
from app.coedit.services import publish_live_text
from app.core.api import bp, json_body
from app.core.errors import Forbidden, ValidationError
from app.core.openapi import ERROR_CONTENT, document_paths, path_param
from app.documents.permissions import can_edit_live
from app.documents.queries import get_document
from app.extensions import db

MAX_LOG_LIMIT = 1000


@bp.get("/documents/<slug>/live")
def live_text(slug):
    document = get_document(slug)
    lang = queries.check_language(document, request.args.get("lang"))
    text, rev = queries.live_state(document, lang)
    return jsonify(text=text, rev=rev, lang=lang)


@bp.get("/documents/<slug>/live/log")
def live_log(slug):
    document = get_document(slug)
    lang = queries.check_language(document, request.args.get("lang"))
    try:
        after = int(request.args.get("after", -1))
        limit = int(request.args.get("limit", 500))
    except ValueError as error:
        raise ValidationError(_l("`after` and `limit` are integers.")) from error
    after = max(-1, min(after, 2**31 - 1))  # revs are 32-bit; SQLite cannot bind a larger int
    if not 1 <= limit <= MAX_LOG_LIMIT:
        raise ValidationError(
            _l("`limit` is between 1 and %(MAX_LOG_LIMIT)s.", MAX_LOG_LIMIT=MAX_LOG_LIMIT)
        )
    return jsonify(entries=queries.edit_log(document, lang, after=after, limit=limit))


@bp.post("/documents/<slug>/publish")
def publish(slug):
    user = api_user()
    document = get_document(slug)
    data = json_body()
    lang = data.get("lang")
    message = data.get("message", "")
    if lang is not None and not isinstance(lang, str):
        raise ValidationError(_l("`lang` is a language code."))
    if not isinstance(message, str):
        raise ValidationError(_l("`message` is a string."))
    lang = queries.check_language(document, lang)
    if not can_edit_live(user, document):
        raise Forbidden(
            _l(
                "Only the drafting team, the owning body's coordinators and administrators "
                "publish the working draft."
            )
        )
    version = publish_live_text(document, lang, user, message)
    db.session.commit()
    return jsonify(
        number=version.number,
        label=version.label,
        cause=version.cause,
        message=version.message,
        author={"name": user.name, "group": user.group},
        created_at=version.created_at.isoformat() if version.created_at else None,
    ), 201


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
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "lang": {"type": "string"},
                                    "message": {"type": "string", "maxLength": 2000},
                                },
                            }
                        }
                    },
                },
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
