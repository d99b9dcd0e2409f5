from flask import Blueprint

bp = Blueprint("documents", __name__)

from app.documents import api, routes  # noqa: E402,F401


def init_app(app):
    from app.documents.cli import drafts

    app.cli.add_command(drafts)
