"""Bearer-token authentication for API writes: the token is a personal API token of accounts."""

from flask import request
from flask_babel import lazy_gettext as _l

from app.accounts.services import user_for_token
from app.core.errors import DomainError

_CACHE_KEY = "agora.api_user"


class Unauthenticated(DomainError):
    code = "unauthenticated"
    status = 401


def api_user(required: bool = True):
    """The user of the request's bearer token; raises 401 when a write comes without a valid one."""
    # Cached on the request itself: `g` can outlive a request (a pushed app context in tests).
    if _CACHE_KEY not in request.environ:
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
