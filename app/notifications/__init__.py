"""Follows and notifications: what people follow, the in-app list, mail per their choice."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)


def init_app(app) -> None:
    from app.notifications import queries, receivers

    receivers.connect()
    app.context_processor(queries.header_context)


# mailing and cli register with mail (list mail preference, follow unsubscribe, digests).
from app.notifications import api, cli, mailing, routes  # noqa: E402,F401
