"""Per-client sync state (shadow, backup shadow, outbox) and the results of join and sync."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

STATE_TTL = 600.0  # seconds a detached client's state is kept for a resume


@dataclass
class ClientState:
    client_id: str
    channel: object
    user: object
    mode: str
    shadow: str
    shadow_rev: int | None  # the stored rev whose text the shadow equals, when known
    shadow_n: int = 0
    shadow_m: int = 0
    backup: str = ""
    backup_m: int = 0
    backup_rev: int | None = None
    # (rev, delta) from the backup to the stored text at rev: the answer the backup was sent,
    # which lets edits made on the backup be rebased exactly when it is restored
    backup_to: tuple[int, str] | None = None
    outbox: list = field(default_factory=list)
    attached: bool = True
    last_seen: float = 0.0
    push: bool = False  # the client asked for push mode (docs/coedit-protocol.md "Push mode")
    kept: dict = field(default_factory=dict)  # m -> (shadow, shadow_rev) before each push
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


@dataclass
class JoinResult:
    client_id: str
    text: str
    rev: int
    n: int
    m: int
    resumed: bool
    # a fresh start for a client_id whose state is gone: its edits numbered below this reached
    # the stored text, the others did not (None: not asked, or the store cannot tell)
    applied: int | None = None


@dataclass
class ReceivedEdits:
    """A sync's request read against the client's state (steps 1-3), before anything is stored."""

    outbox: list
    shadow: str  # the client's shadow with its new edits in it
    shadow_m: int
    shadow_rev: int | None
    shadow_n: int
    resent: bool  # a duplicate of an answered request: the backup stays as it was
    patches: list  # (text before, diffs) per edit that changed the shadow
    base_rev: int | None  # the stored rev the edits start from, when known
    base_text: str
    own: list | None  # the client's edits as one exact diff from base_text (at base_rev)
    # when base_rev is unknown (a restored backup): the exact diff from base_text to the stored
    # text at a known rev, as (rev, diffs)
    base_to: tuple[int, list] | None = None


@dataclass
class SyncResult:
    n: int
    edits: list
    rev: int
    changed: bool
    base_rev: int | None = None  # the stored rev before this sync's change, when it made one


@dataclass
class PushResult:
    """What a push sends one editor: its whole outbox, as of the stored rev."""

    edits: list
    rev: int


class ClientStates(dict):
    """The states of joined clients by client_id; detached ones expire after a TTL."""

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()

    def add(self, state: ClientState) -> None:
        with self.lock:
            self[state.client_id] = state

    def remove(self, client_id: str) -> None:
        with self.lock:
            self.pop(client_id, None)

    def detach(self, client_id: str, now: float) -> None:
        """The client's connection closed: keep its state for a resume until the TTL passes."""
        state = self.get(client_id)
        if state is not None:
            state.attached = False
            state.last_seen = now

    def expire(self, now: float, ttl: float) -> int:
        """Forget detached clients older than the TTL (attached ones after an hour at least)."""
        with self.lock:
            old = [
                cid
                for cid, s in self.items()
                if now - s.last_seen > (ttl if not s.attached else max(ttl, 3600))
            ]
            for cid in old:
                del self[cid]
        return len(old)
