"""The API's own routes: its description."""

from flask import jsonify

from app.api import bp
from app.api.openapi import spec


@bp.route("/openapi.json")
def openapi():
    return jsonify(spec())


@bp.route("/<path:_unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(_unknown):
    from app.core.errors import NotFound

    raise NotFound("No such API endpoint.")
