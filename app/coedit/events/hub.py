"""Per-process bookkeeping of /coedit: the engine, connections, presence, `changed` coalescing."""

from __future__ import annotations

import logging
import threading
from collections import Counter, deque
from dataclasses import dataclass, field

from flask import current_app

from app.coedit.engine import SyncEngine
from app.coedit.events.store import SqlStore
from app.extensions import socketio

log = logging.getLogger(__name__)

NAMESPACE = "/coedit"


def room_of(doc: str, lang: str) -> str:
    return f"coedit:{doc}:{lang}"


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
            group_window=app.config["COEDIT_GROUP_WINDOW"],
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
