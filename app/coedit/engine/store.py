"""Where a channel's authoritative text lives: the storage interface and an in-memory store."""

from __future__ import annotations

import threading
from typing import Protocol

from app.coedit.engine.deltas import diff_main, to_delta


class TextStore(Protocol):
    """Where a channel's authoritative text lives."""

    def rev(self, channel) -> int:
        """The current rev (a cheap check before re-reading the whole text)."""

    def load(self, channel) -> tuple[str, int]:
        """The current text and rev."""

    def deltas(self, channel, after: int, upto: int) -> list[tuple[int, str]]:
        """Optional: the logged deltas of revs after < rev <= upto, in order."""

    def save(self, channel, old_rev: int, text: str, *, author, delta: str) -> bool:
        """Durably store `text` as rev old_rev + 1 with its log entry, if rev is still old_rev."""

    def save_many(self, channel, old_rev: int, changes: list[tuple[str, object, str]]) -> bool:
        """Like `save` for several (text, author, delta) changes, revs old_rev + 1..., at once."""


class MemoryStore:
    """A TextStore in a dict, for tests and scripts; keeps the edit log like the database does."""

    def __init__(self, texts: dict | None = None):
        self.texts = {channel: (text, 0) for channel, text in (texts or {}).items()}
        self.log: dict = {
            channel: [(0, None, to_delta(diff_main("", t)))]
            for channel, (t, _) in self.texts.items()
        }
        self.lock = threading.Lock()

    def rev(self, channel) -> int:
        return self.texts[channel][1]

    def load(self, channel) -> tuple[str, int]:
        return self.texts[channel]

    def deltas(self, channel, after: int, upto: int) -> list[tuple[int, str]]:
        return [
            (rev, delta) for rev, _author, delta in self.log.get(channel, []) if after < rev <= upto
        ]

    def save(self, channel, old_rev, text, *, author, delta) -> bool:
        return self.save_many(channel, old_rev, [(text, author, delta)])

    def save_many(self, channel, old_rev, changes) -> bool:
        with self.lock:
            if self.texts[channel][1] != old_rev:
                return False
            log = self.log.setdefault(channel, [])
            for rev, (_text, author, delta) in enumerate(changes, start=old_rev + 1):
                log.append((rev, author, delta))
            self.texts[channel] = (changes[-1][0], old_rev + len(changes))
            return True
