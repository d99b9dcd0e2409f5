from flask import Blueprint

from app.bodies.hooks import body_context
from app.documents.cli import drafts

bp = Blueprint("documents", __name__)

from app.documents import api, queries, routes  # noqa: E402,F401


@body_context
def _owned_documents(body) -> dict:
    """The body page lists the documents the body owns."""
    return {"documents": queries.owned_documents(body.id)}


def init_app(app):
    app.cli.add_command(drafts)
