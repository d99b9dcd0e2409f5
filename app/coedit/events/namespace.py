"""The /coedit namespace: each event's handler, and the mapping of every failure to an answer."""

from __future__ import annotations

import logging

from flask import current_app, request
from flask_socketio import Namespace

from app.coedit.engine import SyncError
from app.coedit.events import channels, connection
from app.coedit.events import sync as sync_event
from app.coedit.events.hub import Hub, hub
from app.coedit.events.limits import limits_for
from app.coedit.events.payloads import Refusal
from app.core.errors import DomainError
from app.extensions import db

log = logging.getLogger(__name__)


def over_limit(h: Hub, event: str) -> bool:
    """One more `event` of this connection: over its own budget or its user's (or address's)?"""
    per_conn, per_who = limits_for(current_app.config, event)
    if per_conn is not None and not h.limiter.allow(("conn", request.sid, event), *per_conn):
        return True
    conn = h.connections.get(request.sid)
    if conn is not None and conn.user_id is not None:
        who = ("user", conn.user_id)
    else:
        who = ("addr", conn.address if conn is not None else connection.address())
    return per_who is not None and not h.limiter.allow((*who, event), *per_who)


class CoeditNamespace(Namespace):
    """Events of /coedit; every handler answers through its ack and never raises."""

    def _guard(self, name: str, handler, data):
        h = hub()
        connection.forget_cached_user()
        if over_limit(h, name):
            return h.refuse(name, "rate_limited", f"Too many {name} events: wait a moment.")
        try:
            return handler(h, data)
        except Refusal as error:
            db.session.rollback()
            return h.refuse(name, error.code, error.message)
        except SyncError as error:
            db.session.rollback()
            return h.refuse(name, error.code, error.message)
        except DomainError as error:
            db.session.rollback()
            code = (
                error.code
                if error.code in ("not_found", "forbidden", "too_large")
                else "bad_request"
            )
            return h.refuse(name, code, error.message)
        except Exception:
            db.session.rollback()
            log.exception("coedit %s failed", name)
            conn = h.connections.get(request.sid)
            if name == "sync" and conn is not None and isinstance(data, dict):
                joined = conn.channels.get((data.get("doc"), data.get("lang")))
                if joined is not None:  # state may be half-known: make the client rejoin
                    h.engine.drop(joined.client_id)
            return h.refuse(name, "desync", "The server could not process this event; join again.")

    def on_connect(self, auth=None):
        """A client connects: browsers with their login cookie, others with auth={"token"}."""
        connection.forget_cached_user()
        h = hub()
        if over_limit(h, "connect"):
            raise connection.refuse_connection(
                h, "rate_limited", "Too many connections: wait a moment.", "connect flood"
            )
        connection.connect(h, auth)

    def on_disconnect(self, reason=None):
        """The connection closed: client states stay resumable; presence is updated."""
        h = hub()
        connection.disconnect(h)
        h.limiter.forget(request.sid)

    def on_join(self, data):
        """join {doc, lang, mode, client_id?} -> {ok, client_id, text, rev, n, m, peers}."""
        return self._guard("join", channels.join, data)

    def on_sync(self, data):
        """sync {doc, lang, m, edits} -> {ok, n, edits, rev}; `changed` goes to the room after commit."""
        return self._guard("sync", sync_event.sync, data)

    def on_cursor(self, data):
        """cursor {doc, lang, offset, end}: presence update broadcast to the room; no answer."""
        return self._guard("cursor", channels.cursor, data)  # answered only if asked

    def on_leave(self, data):
        """leave {doc, lang}: the client's state for this channel ends."""
        return self._guard("leave", channels.leave, data)
