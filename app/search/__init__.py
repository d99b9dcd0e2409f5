"""One search over the platform: paragraphs, amendments, comments, posts, bodies and people.

It sits above the domains it indexes and learns of their changes through app/core/signals.py.
"""

from flask import Blueprint

bp = Blueprint("search", __name__)

from app.search import api, receivers, routes  # noqa: E402,F401
from app.search.cli import search_cli  # noqa: E402


def init_app(app):
    app.cli.add_command(search_cli)
