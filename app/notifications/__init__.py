"""Follows and notifications: what people follow, the in-app list, mail per their choice."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

# mailing and cli register with mail (list mail preference, follow unsubscribe, digests).
from app.notifications import api, cli, mailing, queries, receivers, routes  # noqa: E402,F401


def init_app(app) -> None:
    receivers.connect()
    app.context_processor(queries.header_context)
