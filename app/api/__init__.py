"""The public JSON API under /api: each domain registers its routes on `bp` from its api.py."""

from flask import Blueprint

from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api")
# The API authenticates with bearer tokens only, never the session cookie, so CSRF cannot apply.
csrf.exempt(bp)

from app.api import routes  # noqa: E402,F401
