from flask import Blueprint

bp = Blueprint("exports", __name__)

from app.exports import api, routes  # noqa: E402,F401


def init_app(app):
    from app.documents.cli import drafts
    from app.exports.cli import export_command

    drafts.add_command(export_command)
