"""The API's own routes: its description."""

from flask import current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l

from app.core.api import bp
from app.core.errors import NotFound, TooLarge
from app.core.openapi import spec


@bp.before_request
def refuse_oversized_body():
    """413 for a body over MAX_CONTENT_LENGTH, also where the endpoint would not read it."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        raise TooLarge(
            _l("The request body is larger than the limit of %(limit)s KiB.", limit=limit // 1024)
        )


@bp.route("/openapi.json")
def openapi():
    return jsonify(spec())


@bp.route("/docs")
def docs():
    """The browsable reference: Swagger UI, bundled with the app, over openapi.json."""
    return render_template("api/docs.html")


@bp.route("/<path:_unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(_unknown):
    raise NotFound(_l("No such API endpoint."))
