"""JSON API of live drafts: read the working draft and its edit log, publish it."""

from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from app.accounts.api_auth import api_user
from app.coedit import (
    openapi,  # noqa: F401 - registers the description
    queries,
)
from app.coedit.services import publish_live_text
from app.core.api import bp, json_body
from app.core.errors import Forbidden, ValidationError
from app.documents.permissions import can_edit_live
from app.documents.queries import get_document
from app.extensions import db


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
    if not 1 <= limit <= queries.MAX_LOG_LIMIT:
        raise ValidationError(
            _l("`limit` is between 1 and %(MAX_LOG_LIMIT)s.", MAX_LOG_LIMIT=queries.MAX_LOG_LIMIT)
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
