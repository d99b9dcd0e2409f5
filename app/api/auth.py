"""Bearer-token authentication for API writes."""

from flask import request
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError

_CACHE_KEY = "agora.api_user"


class Unauthenticated(DomainError):
    code = "unauthenticated"
    status = 401


def api_user(required: bool = True):
    """The user of the request's bearer token; raises 401 when a write comes without a valid one."""
    # Cached on the request itself: `g` can outlive a request (a pushed app context in tests).
    if _CACHE_KEY not in request.environ:
        from app.accounts.services import user_for_token

        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token else None
        request.environ[_CACHE_KEY] = user
    user = request.environ[_CACHE_KEY]
    if required and user is None:
        raise Unauthenticated(
            _l("A valid personal API token is required: Authorization: Bearer <token>.")
        )
    return user


def json_body() -> dict:
    """The request's JSON object, or a 400 with a message."""
    from app.core.errors import ValidationError

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
    from app.core.errors import ValidationError

    value = request.args.get("page", "1")
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= maximum):
        raise ValidationError(_l("page is an integer from 1 to %(maximum)s.", maximum=maximum))
    return int(value)
