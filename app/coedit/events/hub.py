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
    """Clients told of changes by `changed` in the editors' windows: editors and followers
    without push mode (from any process)."""
    return room_of(doc, lang) + "#changed"


def revs_room_of(doc: str, lang: str) -> str:
    """Push followers: per followers' window one `changed` (from any process) and one `revs`
    (from their own process), the same messages for all of them."""
    return room_of(doc, lang) + "#revs"


def emit_changed(payload: dict | None, room_of_channel) -> None:
    """`changed {doc, lang, rev, by}` of a stored change to one of the channel's rooms."""
    if payload is None:
        return
    socketio.emit(
        "changed",
        {k: payload[k] for k in ("doc", "lang", "rev", "by") if k in payload},
        to=room_of_channel(payload["doc"], payload["lang"]),
        namespace=NAMESPACE,
    )


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
        # (room, "edit" | "follow") -> the newest `changed` payload of its pending window, and
        # when its last window began (monotonic)
        self._pending: dict[tuple, dict | None] = {}
        self._last_window: dict[tuple, float] = {}
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
        """Both windows of the room: the editors' (`changed`, pushes) and the push followers'
        (`changed`, `revs`), each on its own spacing."""
        delay = current_app.config["COEDIT_CHANGED_COALESCE"] if current_app else 0
        if delay <= 0:
            self._editors_window(room, payload)
            self._followers_window(room, payload)
            return
        self._throttle((room, "edit"), payload, delay, self._editors_window)
        self._throttle(
            (room, "follow"), payload, self._followers_spacing(room, delay), self._followers_window
        )

    def _followers_spacing(self, room: str, floor: float) -> float:
        """Seconds between followers' windows: each window is one send per push follower of this
        process, so the spacing grows with them (COEDIT_FOLLOWER_SPACING per thousand followers,
        at least the editors' spacing, at most a second): sends per second stay bounded."""
        with self._lock:
            known = self.rooms.get(room)
            followers = len(known.followers) if known is not None else 0
        per_thousand = self.app.config["COEDIT_FOLLOWER_SPACING"]
        return min(1.0, max(floor, per_thousand * followers / 1000))

    def _throttle(self, key: tuple, payload: dict | None, spacing: float, run) -> None:
        """Run `run(room, payload)` at once if the last run of `key` began `spacing` ago or more,
        else when that spacing ends, with the newest payload of the changes meanwhile."""
        with self._lock:
            first = key not in self._pending
            if payload is not None or first:
                self._pending[key] = payload or self._pending.get(key)
            if first:
                began = self._last_window.get(key)
                wait = 0.0 if began is None else max(0.0, began + spacing - time.monotonic())
        if first:
            socketio.start_background_task(self._flush, key, wait, run)

    def _flush(self, key: tuple, wait: float, run) -> None:
        socketio.sleep(wait)
        with self._lock:
            payload = self._pending.pop(key, None)
            now = time.monotonic()
            self._last_window[key] = now
            if len(self._last_window) > 1024:  # windows over for a second need no entry
                self._last_window = {k: t for k, t in self._last_window.items() if now - t < 1.0}
        try:
            with self.app.app_context():
                run(key[0], payload)
        except Exception:  # a background window must never die silently half-way
            log.exception("coedit window of %s failed", key)

    def _editors_window(self, room: str, payload: dict | None) -> None:
        emit_changed(payload, changed_room_of)
        with self._lock:
            known = self.rooms.get(room)
            if known is None or not known.editors:
                return
            editors = dict(known.editors)
        by_client = {cid: sid for sid, cid in editors.items()}
        hint = payload.get("rev") if payload else None
        pushed, busy = self.engine.push(list(by_client), known.live_text_id, hint)
        for client_id, result in pushed.items():
            socketio.emit(
                "edits",
                {"doc": known.doc, "lang": known.lang, "rev": result.rev, "edits": result.edits},
                to=by_client[client_id],
                namespace=NAMESPACE,
            )
        if busy:  # their syncs are under way: `after_sync` asks again if the answer is behind
            self.engine.stats["push_busy"] += len(busy)

    def _followers_window(self, room: str, payload: dict | None) -> None:
        emit_changed(payload, revs_room_of)  # to push followers of every process
        with self._lock:
            known = self.rooms.get(room)
            if known is None or not known.followers or known.base is None:
                return
            from_rev, from_text = known.base
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

    def after_sync(self, doc: str, lang: str, joined: Joined, answer_rev: int) -> None:
        """A push editor's sync answered at answer_rev: if the text moved on while it ran (its
        window skipped it as busy), another window pushes the rest."""
        behind = self.engine.channel_rev(joined.live_text_id) > answer_rev
        if joined.push and joined.mode == "edit" and behind:
            self.engine.stats["push_after_sync"] += 1
            self._schedule(room_of(doc, lang), None)

    # -- presence

    def peers(self, room: str) -> tuple[list[dict], int]:
        """The signed-in peers of the room, and how many anonymous observers follow it: a
        thousand observers are one number, not a thousand entries sent to everyone."""
        with self._lock:
            everyone = list(self.presence.get(room, {}).values())
        named = [dict(peer) for peer in everyone if peer["user"] is not None]
        return named, len(everyone) - len(named)

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
        makes one message per window, not one per event), and less often in a room with many
        push followers (four followers' windows apart, at most a second), each of whom gets it."""
        delay = current_app.config["COEDIT_PRESENCE_COALESCE"]
        if delay <= 0:
            self._emit_presence(doc, lang)
            return
        room = room_of(doc, lang)
        delay = max(delay, min(1.0, 4 * self._followers_spacing(room, 0.0)))
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
        peers, observers = self.peers(room)
        socketio.emit(
            "presence",
            {"doc": doc, "lang": lang, "peers": peers, "observers": observers},
            to=room,
            namespace=NAMESPACE,
        )


def hub() -> Hub:
    return current_app.extensions["coedit"]
