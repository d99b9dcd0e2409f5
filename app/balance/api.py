"""JSON API: balance statistics."""

from flask import jsonify

from app.balance import openapi  # noqa: F401 - registers the description
from app.balance.queries import document_balance, site_balance
from app.core.api import bp
from app.documents.queries import get_document


@bp.route("/documents/<slug>/balance")
def api_document_balance(slug):
    return jsonify(document_balance(get_document(slug)).as_json())


@bp.route("/balance")
def api_site_balance():
    return jsonify(site_balance().as_json())
