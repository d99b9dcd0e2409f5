from flask import Blueprint

bp = Blueprint("exports", __name__)

from app.documents.cli import drafts  # noqa: E402
from app.exports import api, routes  # noqa: E402,F401
from app.exports.cli import export_command  # noqa: E402


def init_app(app):
    drafts.add_command(export_command)
