"""Differential synchronization, server side (docs/coedit-protocol.md), in plain Python.

- `deltas`: diff_toDelta / diff_fromDelta in UTF-16 code units, and the differ;
- `rebase`: exact operations on diffs (invert, compose, rebase);
- `store`: the storage interface (`TextStore`) and the in-memory store;
- `state`: per-client state (shadow, backup, outbox) and its expiry;
- `history`: the rev-chain cache (diffs and deltas between stored revs);
- `channel`: one channel's stored text, edited exactly and stored by compare-and-swap;
- `group_commit`: syncs arriving together stored in one transaction;
- `receive`: steps 1-3 of a sync (the request read against the client state);
- `sync`: the engine (`join`, `sync`, `leave`).
"""

from app.coedit.engine.deltas import (
    BadDelta,
    DeltaMismatch,
    Differ,
    diff_main,
    from_delta,
    to_delta,
    whole_change,
)
from app.coedit.engine.errors import SyncError
from app.coedit.engine.group_commit import GROUP_WINDOW
from app.coedit.engine.rebase import DELETE, EQUAL, INSERT, compose, ends, invert, rebase
from app.coedit.engine.state import STATE_TTL, ClientState, JoinResult, SyncResult
from app.coedit.engine.store import Change, MemoryStore, TextStore, as_changes
from app.coedit.engine.sync import SyncEngine

__all__ = [
    "DELETE",
    "EQUAL",
    "GROUP_WINDOW",
    "INSERT",
    "STATE_TTL",
    "BadDelta",
    "Change",
    "ClientState",
    "DeltaMismatch",
    "Differ",
    "JoinResult",
    "MemoryStore",
    "SyncEngine",
    "SyncError",
    "SyncResult",
    "TextStore",
    "as_changes",
    "compose",
    "diff_main",
    "ends",
    "from_delta",
    "invert",
    "rebase",
    "to_delta",
    "whole_change",
]
