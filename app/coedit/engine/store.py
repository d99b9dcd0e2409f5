"""Where a channel's authoritative text lives: the storage interface and an in-memory store."""

from __future__ import annotations

import threading
from typing import NamedTuple, Protocol

from app.coedit.engine.deltas import diff_main, to_delta


class Change(NamedTuple):
    """One change to store as the next rev, with the edit log's entry for it.

    `client_id` and `client_n`: the co-editing client whose sync made it and that client's
    shadow_n after the sync (every edit of it numbered below is in the text); None for other
    writers. A plain (text, author, delta) tuple is a change of another writer.
    """

    text: str
    author: object
    delta: str
    client_id: str | None = None
    client_n: int | None = None


def as_changes(changes) -> list[Change]:
    """The changes as `Change`s (plain (text, author, delta) tuples accepted)."""
    return [change if isinstance(change, Change) else Change(*change) for change in changes]


class TextStore(Protocol):
    """Where a channel's authoritative text lives."""

    def rev(self, channel) -> int:
        """The current rev (a cheap check before re-reading the whole text)."""

    def load(self, channel) -> tuple[str, int]:
        """The current text and rev."""

    def deltas(self, channel, after: int, upto: int) -> list[tuple[int, str]]:
        """Optional: the logged deltas of revs after < rev <= upto, in order."""

    def applied(self, channel, client_id: str, author) -> int | None:
        """Optional: the highest `client_n` logged for the client's changes (by `author`) on the
        channel, None when none is logged."""

    def save(self, channel, old_rev: int, text: str, *, author, delta: str, **client) -> bool:
        """Durably store `text` as rev old_rev + 1 with its log entry, if rev is still old_rev.

        `client`: the change's client_id and client_n (see `Change`), when a client's sync made it.
        """

    def save_many(self, channel, old_rev: int, changes: list[Change]) -> bool:
        """Like `save` for several changes, revs old_rev + 1..., at once."""


class MemoryStore:
    """A TextStore in a dict, for tests and scripts; keeps the edit log like the database does.

    `log[channel]`: (rev, author, delta) per rev; `clients[channel]`: (rev, client_id, client_n)
    per rev stored from a client's sync.
    """

    def __init__(self, texts: dict | None = None):
        self.texts = {channel: (text, 0) for channel, text in (texts or {}).items()}
        self.log: dict = {
            channel: [(0, None, to_delta(diff_main("", t)))]
            for channel, (t, _) in self.texts.items()
        }
        self.clients: dict = {}
        self.lock = threading.Lock()

    def rev(self, channel) -> int:
        return self.texts[channel][1]

    def load(self, channel) -> tuple[str, int]:
        return self.texts[channel]

    def deltas(self, channel, after: int, upto: int) -> list[tuple[int, str]]:
        return [
            (rev, delta) for rev, _author, delta in self.log.get(channel, []) if after < rev <= upto
        ]

    def applied(self, channel, client_id, author) -> int | None:
        authors = {rev: who for rev, who, _delta in self.log.get(channel, [])}
        return max(
            (
                n
                for rev, cid, n in self.clients.get(channel, [])
                if cid == client_id and authors.get(rev) == author
            ),
            default=None,
        )

    def save(self, channel, old_rev, text, *, author, delta, **client) -> bool:
        return self.save_many(channel, old_rev, [Change(text, author, delta, **client)])

    def save_many(self, channel, old_rev, changes) -> bool:
        changes = as_changes(changes)
        with self.lock:
            if self.texts[channel][1] != old_rev:
                return False
            log = self.log.setdefault(channel, [])
            clients = self.clients.setdefault(channel, [])
            for rev, change in enumerate(changes, start=old_rev + 1):
                log.append((rev, change.author, change.delta))
                if change.client_id is not None:
                    clients.append((rev, change.client_id, change.client_n))
            self.texts[channel] = (changes[-1].text, old_rev + len(changes))
            return True
