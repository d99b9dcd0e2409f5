"""The audit log: append-only record of decisions, roles, memberships, groups, verification
and moderation, fed by the signals of app/core/signals.py."""

from flask import Blueprint

bp = Blueprint("audit", __name__)

# Receivers connect at import; routes and API attach before the blueprints are registered.
from app.audit import api, receivers, routes  # noqa: E402,F401
