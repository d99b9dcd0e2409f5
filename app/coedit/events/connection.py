"""Connecting to /coedit: the origin check, credentials (session or API token), edit permission."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g, request
from flask_login import current_user
from socketio.exceptions import ConnectionRefusedError as Refused

from app.accounts.services import user_for_token
from app.coedit.events.hub import Connection, Hub, room_of
from app.coedit.events.messages import localized
from app.coedit.events.payloads import Refusal
from app.documents.permissions import can_edit_live
from app.documents.queries import get_document
from app.extensions import db


def _loopback_equivalents(origin: str) -> set[str]:
    parts = urlsplit(origin)
    if not parts.scheme or not parts.hostname:
        return set()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname
    hosts = {host}
    if host in ("localhost", "127.0.0.1", "::1"):
        hosts = {"localhost", "127.0.0.1", "[::1]"}
    result = set()
    default = (parts.scheme == "https" and port == 443) or (parts.scheme == "http" and port == 80)
    for h in hosts:
        result.add(f"{parts.scheme}://{h}:{port}")
        if default:
            result.add(f"{parts.scheme}://{h}")
    return result


def origin_allowed(origin: str | None) -> bool:
    """Browser connections must come from the site (or its loopback equivalents)."""
    if not origin:
        return True  # not a browser: no ambient cookie to abuse
    site = current_app.config.get("SITE_ORIGIN") or request.host_url
    return origin.rstrip("/") in _loopback_equivalents(site.rstrip("/"))


def user_of(conn: Connection):
    """The connection's user as of now, or None (anonymous); raises when the credentials died."""
    if conn.token:
        user = user_for_token(conn.token)
        if user is None:
            raise Refusal("unauthenticated", "The API token is no longer valid.")
        return user
    if conn.user_id is not None:
        if not current_user.is_authenticated or current_user.id != conn.user_id:
            raise Refusal("unauthenticated", "You have been logged out; log in again to edit.")
        return current_user._get_current_object()
    return None


def address() -> str | None:
    """The client's address (as the proxy in front reports it, when the app trusts one)."""
    return request.remote_addr


def forget_cached_user() -> None:
    """Load the session user afresh for every event, even under an outer app context (tests)."""
    g.pop("_login_user", None)


def load_document(doc: str):
    return get_document(doc)


def require_edit(user, document) -> None:
    if user is None:
        raise Refusal("unauthenticated", "Log in to edit the working draft; anyone may follow it.")
    if not can_edit_live(user, document):
        raise Refusal(
            "forbidden",
            "Only the drafting team, the owning body's coordinators and administrators "
            "edit this draft.",
        )


def refuse_connection(h: Hub, code: str, message: str, detail: str) -> Refused:
    """The refusal of a connection, counted and logged, that carries the protocol's code.

    python-socketio's ConnectionRefusedError(message, data) (not the builtin of that name, which
    it answers with a bare "Connection refused by server") becomes a CONNECT_ERROR packet
    `{message, data}`: clients read `data.code` (socket.io-client: `error.data.code`).
    """
    h.refuse("connect", code, detail)
    message = localized(message)
    return Refused(message, {"code": code, "message": message})


def connect(h: Hub, auth) -> None:
    """Check the origin and the credentials of a new connection, or refuse it with a code."""
    origin = request.headers.get("Origin")
    if not origin_allowed(origin):
        raise refuse_connection(
            h, "forbidden", "This site may not connect here.", f"origin {origin!r} not allowed"
        )
    token = None
    if auth is not None:
        if not isinstance(auth, dict) or not isinstance(auth.get("token", ""), str):
            raise refuse_connection(h, "bad_request", "auth must be {token}.", "malformed auth")
        token = auth.get("token") or None
    user_id = None
    if token:
        user = user_for_token(token)
        if user is None:
            db.session.rollback()
            raise refuse_connection(
                h,
                "unauthenticated",
                "This API token is not valid (revoked, expired or mistyped).",
                "invalid token",
            )
        user_id = user.id
    elif current_user.is_authenticated:
        user_id = current_user.id
    h.connections[request.sid] = Connection(user_id=user_id, token=token, address=address())
    db.session.rollback()


def disconnect(h: Hub) -> None:
    """The connection closed: its client states stay resumable; presence is updated."""
    conn = h.connections.pop(request.sid, None)
    if conn is None:
        return
    for (doc, lang), joined in conn.channels.items():
        h.engine.detach(joined.client_id)
        h.remove_push_client(room_of(doc, lang), request.sid)
        h.set_presence(room_of(doc, lang), request.sid, None)
        h.emit_presence(doc, lang)
