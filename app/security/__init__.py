"""Protections that span every domain: security headers, rate limits and safe JSON parsing.

Nothing here knows a domain's rules: the limits name endpoints in one table (limits.py) so
that each domain's views stay free of throttling code.
"""

from flask import Blueprint

from app.security import headers, jsonsafe, limits

bp = Blueprint("security", __name__)


def init_app(app) -> None:
    jsonsafe.init_app(app)
    headers.init_app(app)
    limits.init_app(app)
