"""The API blueprint under /api and its request helpers: domains add their routes from api.py.

It lives in core so every domain can register on it; app/api only assembles (openapi.json).
"""

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l

from app.core.errors import ValidationError
from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api")
# The API authenticates with bearer tokens only, never the session cookie, so CSRF cannot apply.
csrf.exempt(bp)


def json_body() -> dict:
    """The request's JSON object, or a 400 with a message."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError(_l("The request body must be a JSON object."))
    if _has_nul(data):
        # PostgreSQL text cannot store NUL characters: refuse them up front, on every database.
        raise ValidationError(_l("Text may not contain NUL characters."))
    return data


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def page_param(maximum: int = 100000) -> int:
    """The `page` query parameter (1 when absent), or a 400 for anything but 1..maximum."""
    value = request.args.get("page", "1")
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= maximum):
        raise ValidationError(_l("page is an integer from 1 to %(maximum)s.", maximum=maximum))
    return int(value)
