"""Live co-editing of working drafts (docs/coedit-protocol.md): engine, sockets, API, pages."""

from flask import Blueprint

bp = Blueprint("coedit", __name__)

from app.coedit import api, events, routes, services  # noqa: E402,F401


def init_app(app) -> None:
    events.init_app(app)
