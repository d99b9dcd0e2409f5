"""Bearer-token authentication for API writes."""

from flask import g, request

from app.core.errors import DomainError


class Unauthenticated(DomainError):
    code = "unauthenticated"
    status = 401


def api_user(required: bool = True):
    """The user of the request's bearer token; raises 401 when a write comes without a valid one."""
    if "api_user" not in g:
        from app.accounts.services import user_for_token

        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        g.api_user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if required and g.api_user is None:
        raise Unauthenticated("A valid personal API token is required: Authorization: Bearer <token>.")
    return g.api_user


def json_body() -> dict:
    """The request's JSON object, or a 400 with a message."""
    from app.core.errors import ValidationError

    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("The request body must be a JSON object.")
    return data
