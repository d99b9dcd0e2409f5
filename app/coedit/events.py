"""Socket.IO handlers of namespace /coedit: the server side of COEDIT.md.

Clients (the browser editor, app.coedit.client, load generators) send `join`, `sync`,
`cursor` and `leave`; the server answers each through its ack and broadcasts `changed`
(coalesced per room, after the commit) and `presence` to the room of one (document, lang).
Permission is read from the database on every event, so a revoked membership, a revoked
token or a logout (session epoch) takes effect at the next event of an open connection.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app, g, request
from flask_login import current_user
from flask_socketio import Namespace, join_room, leave_room
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from app.coedit import queries, services
from app.coedit.engine import SyncEngine, SyncError
from app.core.errors import DomainError
from app.extensions import db, socketio

log = logging.getLogger(__name__)

NAMESPACE = "/coedit"
MODES = ("edit", "follow")
MAX_EDITS_PER_SYNC = 1000
MAX_NAME = 200


class Refusal(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def room_of(doc: str, lang: str) -> str:
    return f"coedit:{doc}:{lang}"


# --- storage adapter: the engine's TextStore over the database ------------------------------


class SqlStore:
    """Live texts in the database; `save` commits before returning, so acks follow durability."""

    def rev(self, channel: int) -> int:
        return queries.live_rev(channel)

    def load(self, channel: int) -> tuple[str, int]:
        return queries.live_content(channel)

    def deltas(self, channel: int, after: int, upto: int) -> list[tuple[int, str]]:
        return queries.edit_deltas(channel, after, upto)

    def save(self, channel: int, old_rev: int, text: str, *, author, delta: str) -> bool:
        try:
            stored = services.store_live_text_change(
                channel, old_rev, text, user_id=author, delta=delta
            )
            if stored:
                db.session.commit()
            else:
                db.session.rollback()
            return stored
        except Exception:
            db.session.rollback()
            raise


# --- per-process bookkeeping -----------------------------------------------------------------


@dataclass
class Joined:
    client_id: str
    document_id: int
    live_text_id: int
    mode: str


@dataclass
class Connection:
    user_id: int | None
    token: str | None
    channels: dict = field(default_factory=dict)  # (doc, lang) -> Joined
    syncs: deque = field(default_factory=deque)


class Hub:
    """One per app: the engine, the connections of this process, presence and `changed` coalescing."""

    def __init__(self, app):
        self.engine = SyncEngine(
            SqlStore(),
            diff_timeout=app.config["COEDIT_DIFF_TIMEOUT"],
            max_text=app.config["COEDIT_MAX_TEXT"],
            max_delta=app.config["COEDIT_MAX_DELTA"],
        )
        self.connections: dict[str, Connection] = {}
        self.presence: dict[str, dict[str, dict]] = {}  # room -> sid -> peer
        self.refusals: Counter = Counter()
        self._pending: dict[str, dict] = {}
        self._lock = threading.Lock()

    def refuse(self, event: str, code: str, message: str) -> dict:
        with self._lock:
            self.refusals[code] += 1
            count = self.refusals[code]
        log.info(
            "coedit %s refused: %s (%s; %d %s refusals so far)", event, code, message, count, code
        )
        return {"ok": False, "error": {"code": code, "message": message}}

    def schedule_changed(self, payload: dict) -> None:
        """Emit `changed` to the room at most once per coalescing window (always after commit)."""
        delay = current_app.config["COEDIT_CHANGED_COALESCE"] if current_app else 0
        room = room_of(payload["doc"], payload["lang"])
        if delay <= 0:
            socketio.emit("changed", payload, to=room, namespace=NAMESPACE)
            return
        with self._lock:
            first = room not in self._pending
            self._pending[room] = payload
        if first:
            socketio.start_background_task(self._flush, room, delay)

    def _flush(self, room: str, delay: float) -> None:
        socketio.sleep(delay)
        with self._lock:
            payload = self._pending.pop(room, None)
        if payload is not None:
            socketio.emit("changed", payload, to=room, namespace=NAMESPACE)

    def peers(self, room: str) -> list[dict]:
        with self._lock:
            return [dict(peer) for peer in self.presence.get(room, {}).values()]

    def set_presence(self, room: str, sid: str, peer: dict | None) -> None:
        with self._lock:
            peers = self.presence.setdefault(room, {})
            if peer is None:
                peers.pop(sid, None)
                if not peers:
                    self.presence.pop(room, None)
            else:
                peers[sid] = peer

    def emit_presence(self, doc: str, lang: str) -> None:
        room = room_of(doc, lang)
        socketio.emit(
            "presence",
            {"doc": doc, "lang": lang, "peers": self.peers(room)},
            to=room,
            namespace=NAMESPACE,
        )


def hub() -> Hub:
    return current_app.extensions["coedit"]


# --- validation ------------------------------------------------------------------------------


def _string(data: dict, key: str, max_length: int, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise Refusal(
            "bad_request", f"`{key}` must be a non-empty string of at most {max_length} characters."
        )
    return value


def _integer(data: dict, key: str, *, maximum: int = 2**53) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= maximum:
        raise Refusal("bad_request", f"`{key}` must be a non-negative integer.")
    return value


def _payload(data) -> dict:
    if not isinstance(data, dict):
        raise Refusal("bad_request", "The payload must be an object.")
    return data


def _channel(data: dict) -> tuple[str, str]:
    return _string(data, "doc", 120), _string(data, "lang", 35)


def _edits(data: dict) -> list[dict]:
    edits = data.get("edits", [])
    if not isinstance(edits, list):
        raise Refusal("bad_request", "`edits` must be a list.")
    if len(edits) > MAX_EDITS_PER_SYNC:
        raise Refusal("too_large", f"At most {MAX_EDITS_PER_SYNC} edits per sync.")
    max_delta = current_app.config["COEDIT_MAX_DELTA"]
    clean = []
    for edit in edits:
        if not isinstance(edit, dict):
            raise Refusal("bad_request", "Each edit is an object {n, delta}.")
        n = _integer(edit, "n")
        delta = edit.get("delta")
        if not isinstance(delta, str):
            raise Refusal("bad_request", "`delta` must be a string.")
        if len(delta) > max_delta:
            raise Refusal("too_large", f"A delta has at most {max_delta} characters.")
        clean.append({"n": n, "delta": delta})
    return clean


# --- authentication and permission -----------------------------------------------------------


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


def _user(conn: Connection):
    """The connection's user as of now, or None (anonymous); raises when the credentials died."""
    if conn.token:
        from app.accounts.services import user_for_token

        user = user_for_token(conn.token)
        if user is None:
            raise Refusal("unauthenticated", "The API token is no longer valid.")
        return user
    if conn.user_id is not None:
        if not current_user.is_authenticated or current_user.id != conn.user_id:
            raise Refusal("unauthenticated", "You have been logged out; log in again to edit.")
        return current_user._get_current_object()
    return None


def _forget_cached_user() -> None:
    """Load the session user afresh for every event, even under an outer app context (tests)."""
    g.pop("_login_user", None)


def _document(doc: str):
    from app.documents.services import get_document

    return get_document(doc)


def _require_edit(user, document) -> None:
    from app.documents.permissions import can_edit_live

    if user is None:
        raise Refusal("unauthenticated", "Log in to edit the working draft; anyone may follow it.")
    if not can_edit_live(user, document):
        raise Refusal(
            "forbidden", "Only the owning drafting body and administrators edit this draft."
        )


def _peer(user, mode: str, offset: int = 0, end: int = 0) -> dict:
    return {
        "user": user.id if user is not None else None,
        "name": user.name if user is not None else "Observer",
        "group": user.group if user is not None else None,
        "mode": mode,
        "offset": offset,
        "end": end,
    }


def _rate_limited(conn: Connection) -> bool:
    limit = current_app.config["COEDIT_MAX_SYNCS_PER_SECOND"]
    now = time.monotonic()
    while conn.syncs and now - conn.syncs[0] > 1.0:
        conn.syncs.popleft()
    if len(conn.syncs) >= limit:
        return True
    conn.syncs.append(now)
    return False


def _engine_sync(
    h: Hub,
    joined: Joined,
    doc: str,
    lang: str,
    m: int,
    edits: list,
    user_id,
    rev_hint: int | None = None,
) -> dict:
    result = h.engine.sync(
        joined.client_id, joined.live_text_id, m, edits, author=user_id, rev_hint=rev_hint
    )
    if result.changed:
        h.schedule_changed({"doc": doc, "lang": lang, "rev": result.rev, "by": user_id})
    return {"ok": True, "n": result.n, "edits": result.edits, "rev": result.rev}


def _sync_fast(
    h: Hub, conn: Connection, joined: Joined, doc: str, lang: str, m: int, edits: list
) -> dict | None:
    """A sync of a joined channel with ONE query: credentials, permission and the stored rev.

    Same rules as the slow path (which names the reason of a refusal): None whenever this
    query cannot decide alone (credentials gone, token use to be noted, a refusal to explain).
    """
    from app.accounts.services import TOKEN_PREFIX, TOKEN_USE_RESOLUTION, _token_hash
    from app.core.timeutil import utcnow

    if conn.token:
        if not conn.token.startswith(TOKEN_PREFIX) or len(conn.token) > 200:
            return None
        row = queries.sync_access(
            joined.document_id, joined.live_text_id, token_hash=_token_hash(conn.token)
        )
        if (
            row is None
            or row.last_used_at is None
            or utcnow() - row.last_used_at >= TOKEN_USE_RESOLUTION
        ):
            return None  # the slow path refuses, or notes the token's use
    elif conn.user_id is not None:
        if not current_user.is_authenticated or current_user.id != conn.user_id:
            return None
        row = queries.sync_access(joined.document_id, joined.live_text_id, user_id=conn.user_id)
    else:
        row = queries.sync_access(joined.document_id, joined.live_text_id)
    if row is None:
        return None
    if joined.mode == "follow":
        if edits:
            return None
    elif not ((conn.token or conn.user_id is not None) and (row.is_admin or row.member)):
        return None
    user_id = row.user_id if (conn.token or conn.user_id is not None) else None
    rev = row.rev
    db.session.rollback()  # end the read transaction before the engine's own
    return _engine_sync(h, joined, doc, lang, m, edits, user_id, rev_hint=rev)


# --- handlers --------------------------------------------------------------------------------


class CoeditNamespace(Namespace):
    """Events of /coedit; every handler answers through its ack and never raises."""

    def _guard(self, name: str, handler, data):
        h = hub()
        _forget_cached_user()
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
        h = hub()
        _forget_cached_user()
        origin = request.headers.get("Origin")
        if not origin_allowed(origin):
            h.refuse("connect", "forbidden", f"origin {origin!r} not allowed")
            raise ConnectionRefusedError(
                {"code": "forbidden", "message": "This origin may not connect."}
            )
        token = None
        if auth is not None:
            if not isinstance(auth, dict) or not isinstance(auth.get("token", ""), str):
                raise ConnectionRefusedError(
                    {"code": "bad_request", "message": "auth must be {token}."}
                )
            token = auth.get("token") or None
        user_id = None
        if token:
            from app.accounts.services import user_for_token

            user = user_for_token(token)
            if user is None:
                h.refuse("connect", "unauthenticated", "invalid token")
                raise ConnectionRefusedError(
                    {"code": "unauthenticated", "message": "Invalid API token."}
                )
            user_id = user.id
        elif current_user.is_authenticated:
            user_id = current_user.id
        h.connections[request.sid] = Connection(user_id=user_id, token=token)
        db.session.rollback()

    def on_disconnect(self, reason=None):
        """The connection closed: client states stay resumable; presence is updated."""
        h = hub()
        conn = h.connections.pop(request.sid, None)
        if conn is None:
            return
        for (doc, lang), joined in conn.channels.items():
            h.engine.detach(joined.client_id)
            h.set_presence(room_of(doc, lang), request.sid, None)
            h.emit_presence(doc, lang)

    def on_join(self, data):
        """join {doc, lang, mode, client_id?} -> {ok, client_id, text, rev, n, m, peers}."""
        return self._guard("join", self._join, data)

    def _join(self, h: Hub, data):
        conn = h.connections.get(request.sid)
        if conn is None:
            raise Refusal("unauthenticated", "Connect again.")
        data = _payload(data)
        doc, lang = _channel(data)
        mode = data.get("mode", "edit")
        if mode not in MODES:
            raise Refusal("bad_request", "`mode` is edit or follow.")
        client_id = _string(data, "client_id", 64, required=False)
        user = _user(conn)
        document = _document(doc)
        queries.check_language(document, lang)
        if mode == "edit":
            _require_edit(user, document)
        live = services.get_or_create_live_text(document, lang)
        live_id, document_id = live.id, document.id
        db.session.commit()
        previous = conn.channels.get((doc, lang))
        if previous is not None and previous.client_id != client_id:
            h.engine.leave(previous.client_id)
        result = h.engine.join(
            live_id, user=user.id if user else None, mode=mode, client_id=client_id
        )
        conn.channels[(doc, lang)] = Joined(result.client_id, document_id, live_id, mode)
        room = room_of(doc, lang)
        join_room(room)
        h.set_presence(room, request.sid, _peer(user, mode))
        h.emit_presence(doc, lang)
        return {
            "ok": True,
            "client_id": result.client_id,
            "text": result.text,
            "rev": result.rev,
            "n": result.n,
            "m": result.m,
            "peers": h.peers(room),
        }

    def on_sync(self, data):
        """sync {doc, lang, m, edits} -> {ok, n, edits, rev}; `changed` goes to the room after commit."""
        return self._guard("sync", self._sync, data)

    def _sync(self, h: Hub, data):
        conn = h.connections.get(request.sid)
        if conn is None:
            raise Refusal("unauthenticated", "Connect again.")
        if _rate_limited(conn):
            raise Refusal("rate_limited", "Too many syncs: wait a moment.")
        data = _payload(data)
        doc, lang = _channel(data)
        m = _integer(data, "m")
        edits = _edits(data)
        joined = conn.channels.get((doc, lang))
        if joined is not None:
            fast = _sync_fast(h, conn, joined, doc, lang, m, edits)
            if fast is not None:
                return fast
        user = _user(conn)
        if joined is None:
            document = _document(doc)
            queries.check_language(document, lang)
            if edits:
                _require_edit(user, document)
            raise Refusal("desync", "Join this document before syncing.")
        from app.documents.models import Document

        document = db.session.get(Document, joined.document_id)
        if document is None:
            raise Refusal("not_found", "This document no longer exists.")
        if joined.mode == "follow":
            if edits:
                raise Refusal("forbidden", "You joined as a follower: edits are refused.")
        else:
            _require_edit(user, document)
        user_id = user.id if user is not None else None  # read before the rollback expires it
        db.session.commit()  # end the read transaction (keeping a token's use noted)
        return _engine_sync(h, joined, doc, lang, m, edits, user_id)

    def on_cursor(self, data):
        """cursor {doc, lang, offset, end}: presence update broadcast to the room; no answer."""
        self._guard("cursor", self._cursor, data)

    def _cursor(self, h: Hub, data):
        conn = h.connections.get(request.sid)
        data = _payload(data)
        doc, lang = _channel(data)
        if conn is None or (doc, lang) not in conn.channels:
            raise Refusal("bad_request", "Join this document first.")
        limit = current_app.config["COEDIT_MAX_TEXT"]
        offset = _integer(data, "offset", maximum=limit)
        end = _integer(data, "end", maximum=limit) if "end" in data else offset
        user = _user(conn)
        room = room_of(doc, lang)
        h.set_presence(room, request.sid, _peer(user, conn.channels[(doc, lang)].mode, offset, end))
        h.emit_presence(doc, lang)
        return {"ok": True}

    def on_leave(self, data):
        """leave {doc, lang}: the client's state for this channel ends."""
        return self._guard("leave", self._leave, data)

    def _leave(self, h: Hub, data):
        conn = h.connections.get(request.sid)
        data = _payload(data)
        doc, lang = _channel(data)
        joined = conn.channels.pop((doc, lang), None) if conn else None
        if joined is not None:
            h.engine.leave(joined.client_id)
            room = room_of(doc, lang)
            leave_room(room)
            h.set_presence(room, request.sid, None)
            h.emit_presence(doc, lang)
        return {"ok": True}


# --- `changed` after commits made elsewhere (merged amendments, CLI, API) ---------------------


@sa_event.listens_for(Session, "after_commit")
def _emit_after_commit(session):
    pending = session.info.pop(services.PENDING_CHANGES, None)
    if not pending:
        return
    try:
        h = current_app.extensions.get("coedit")
        for payload in pending:
            if h is not None:
                h.schedule_changed(payload)
            else:
                socketio.emit(
                    "changed",
                    payload,
                    to=room_of(payload["doc"], payload["lang"]),
                    namespace=NAMESPACE,
                )
    except Exception:  # an emit must never undo or break a committed change
        log.exception("could not emit coedit changes")


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(services.PENDING_CHANGES, None)


def init_app(app) -> None:
    """Attach the hub and the namespace to this app's Socket.IO server."""
    app.extensions["coedit"] = Hub(app)
    socketio.on_namespace(CoeditNamespace(NAMESPACE))
