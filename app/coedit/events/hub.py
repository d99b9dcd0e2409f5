"""Per-process bookkeeping of /coedit: the engine, connections, presence, per-room windows.

Every change to a room's text ends in a window: the room gets one `changed`, each push editor
its `edits` and the push followers one `revs` (docs/coedit-protocol.md "Push mode"). A window
opens at once when the room's last one began COEDIT_CHANGED_COALESCE seconds ago or more, else
when that spacing ends, so a lone keystroke is not held back and busy rooms get at most one
window per spacing. Presence is coalesced per room (trailing window).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from flask import current_app

from app.coedit.engine import SyncEngine
from app.coedit.events.limits import RateLimiter
from app.coedit.events.messages import localized
from app.coedit.events.store import SqlStore
from app.extensions import socketio

log = logging.getLogger(__name__)

NAMESPACE = "/coedit"


def room_of(doc: str, lang: str) -> str:
    """Everybody on (doc, lang): presence."""
    return f"coedit:{doc}:{lang}"


def changed_room_of(doc: str, lang: str) -> str:
    """Clients told of changes by `changed`: everyone, push followers too (from any process)."""
    return room_of(doc, lang) + "#changed"


def revs_room_of(doc: str, lang: str) -> str:
    """Push followers: one `revs` per window, the same message for all of them."""
    return room_of(doc, lang) + "#revs"


@dataclass
class Joined:
    client_id: str
    document_id: int
    live_text_id: int
    mode: str
    push: bool = False


@dataclass
class Connection:
    user_id: int | None
    token: str | None
    address: str | None = None
    channels: dict = field(default_factory=dict)  # (doc, lang) -> Joined


@dataclass
class Room:
    """What this process knows of one room's push clients."""

    doc: str
    lang: str
    live_text_id: int
    editors: dict = field(default_factory=dict)  # sid -> client_id (push editors)
    followers: set = field(default_factory=set)  # sids of push followers
    base: tuple | None = None  # (rev, text) the followers' next `revs` starts from


class Hub:
    """One per app: the engine, the connections of this process, presence and room windows."""

    def __init__(self, app):
        self.app = app
        self.engine = SyncEngine(
            SqlStore(),
            diff_timeout=app.config["COEDIT_DIFF_TIMEOUT"],
            max_text=app.config["COEDIT_MAX_TEXT"],
            max_delta=app.config["COEDIT_MAX_DELTA"],
            group_window=app.config["COEDIT_GROUP_WINDOW"],
        )
        self.connections: dict[str, Connection] = {}
        self.presence: dict[str, dict[str, dict]] = {}  # room -> sid -> peer
        self.rooms: dict[str, Room] = {}  # room -> push clients of this process
        self.refusals: Counter = Counter()
        self.limiter = RateLimiter()
        self._pending: dict[str, dict | None] = {}  # room -> `changed` payload of its window
        self._last_window: dict[str, float] = {}  # room -> when its last window began (monotonic)
        self._presence_pending: set[str] = set()
        self._lock = threading.Lock()

    def refuse(self, event: str, code: str, message: str) -> dict:
        with self._lock:
            self.refusals[code] += 1
            count = self.refusals[code]
        log.info(
            "coedit %s refused: %s (%s; %d %s refusals so far)", event, code, message, count, code
        )
        return {"ok": False, "error": {"code": code, "message": localized(message)}}

    # -- push clients

    def add_push_client(
        self, room: str, doc: str, lang: str, sid: str, joined: Joined, text_rev
    ) -> tuple[str, int] | None:
        """Note a push client of this process; for a follower, the (text, rev) to start it from.

        A follower starts from the text the room's next `revs` starts from (at most one window
        old), so that it applies that window instead of rejoining while the text is changing.
        When that text is behind the stored one (another process stored the change, so no window
        of this process moved it on), the follower starts from the stored text and a window brings
        this process's other followers there.
        """
        stale = False
        with self._lock:
            known = self.rooms.get(room)
            if known is None:
                known = self.rooms[room] = Room(doc, lang, joined.live_text_id)
            if joined.mode == "edit":
                known.editors[sid] = joined.client_id
            else:
                known.followers.add(sid)
                if known.base is None:  # the followers already here stay at theirs
                    known.base = (text_rev[1], text_rev[0])
                stale = known.base[0] < text_rev[1]
                base = known.base
        if joined.mode == "edit":
            return None
        if stale:
            self._schedule(room, None)
            return text_rev
        return base[1], base[0]

    def remove_push_client(self, room: str, sid: str) -> None:
        with self._lock:
            known = self.rooms.get(room)
            if known is None:
                return
            known.editors.pop(sid, None)
            known.followers.discard(sid)
            if not known.followers:
                known.base = None
            if not known.editors and not known.followers:
                del self.rooms[room]

    # -- windows: `changed`, pushes, `revs`

    def schedule_changed(self, payload: dict) -> None:
        """End this room's window (now, or after COEDIT_CHANGED_COALESCE): one of each message.

        Always after the commit that changed the text.
        """
        room = room_of(payload["doc"], payload["lang"])
        self._schedule(room, payload)

    def _schedule(self, room: str, payload: dict | None) -> None:
        delay = current_app.config["COEDIT_CHANGED_COALESCE"] if current_app else 0
        if delay <= 0:
            self._window(room, payload)
            return
        with self._lock:
            first = room not in self._pending
            if payload is not None or first:
                self._pending[room] = payload or self._pending.get(room)
            if first:
                began = self._last_window.get(room)
                wait = 0.0 if began is None else max(0.0, began + delay - time.monotonic())
        if first:
            socketio.start_background_task(self._flush, room, wait)

    def _flush(self, room: str, wait: float) -> None:
        socketio.sleep(wait)
        with self._lock:
            payload = self._pending.pop(room, None)
            now = time.monotonic()
            self._last_window[room] = now
            if len(self._last_window) > 1024:  # rooms whose spacing is long over need no entry
                spacing = self.app.config["COEDIT_CHANGED_COALESCE"]
                self._last_window = {
                    r: t for r, t in self._last_window.items() if now - t < spacing
                }
        try:
            with self.app.app_context():
                self._window(room, payload)
        except Exception:  # a background window must never die silently half-way
            log.exception("coedit window of %s failed", room)

    def _window(self, room: str, payload: dict | None) -> None:
        if payload is not None:
            changed = {k: payload[k] for k in ("doc", "lang", "rev", "by") if k in payload}
            socketio.emit(
                "changed",
                changed,
                to=changed_room_of(payload["doc"], payload["lang"]),
                namespace=NAMESPACE,
            )
        with self._lock:
            known = self.rooms.get(room)
            if known is None:
                return
            editors = dict(known.editors)
            followers = bool(known.followers)
            base = known.base
        busy = []
        if editors:
            by_client = {cid: sid for sid, cid in editors.items()}
            hint = payload.get("rev") if payload else None
            pushed, busy = self.engine.push(list(by_client), known.live_text_id, hint)
            for client_id, result in pushed.items():
                socketio.emit(
                    "edits",
                    {
                        "doc": known.doc,
                        "lang": known.lang,
                        "rev": result.rev,
                        "edits": result.edits,
                    },
                    to=by_client[client_id],
                    namespace=NAMESPACE,
                )
        if followers and base is not None:
            from_rev, from_text = base
            hint = payload.get("rev") if payload else None
            rev, text, delta = self.engine.revs(known.live_text_id, from_rev, from_text, hint)
            if rev > from_rev:
                with self._lock:
                    known.base = (rev, text)
                message = {"doc": known.doc, "lang": known.lang, "from": from_rev, "to": rev}
                message["delta"] = delta
                socketio.emit(
                    "revs", message, to=revs_room_of(known.doc, known.lang), namespace=NAMESPACE
                )
        if busy:  # their syncs are under way: `after_sync` asks again if the answer is behind
            self.engine.stats["push_busy"] += len(busy)

    def after_sync(self, doc: str, lang: str, joined: Joined, answer_rev: int) -> None:
        """A push editor's sync answered at answer_rev: if the text moved on while it ran (its
        window skipped it as busy), another window pushes the rest."""
        behind = self.engine.channel_rev(joined.live_text_id) > answer_rev
        if joined.push and joined.mode == "edit" and behind:
            self.engine.stats["push_after_sync"] += 1
            self._schedule(room_of(doc, lang), None)

    # -- presence

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
        """Presence of the room, at most once per COEDIT_PRESENCE_COALESCE (a cursor flood
        makes one message per window, not one per event)."""
        delay = current_app.config["COEDIT_PRESENCE_COALESCE"]
        if delay <= 0:
            self._emit_presence(doc, lang)
            return
        room = room_of(doc, lang)
        with self._lock:
            if room in self._presence_pending:
                return
            self._presence_pending.add(room)
        socketio.start_background_task(self._flush_presence, doc, lang, delay)

    def _flush_presence(self, doc: str, lang: str, delay: float) -> None:
        socketio.sleep(delay)
        with self._lock:
            self._presence_pending.discard(room_of(doc, lang))
        self._emit_presence(doc, lang)

    def _emit_presence(self, doc: str, lang: str) -> None:
        room = room_of(doc, lang)
        socketio.emit(
            "presence",
            {"doc": doc, "lang": lang, "peers": self.peers(room)},
            to=room,
            namespace=NAMESPACE,
        )


def hub() -> Hub:
    return current_app.extensions["coedit"]
