"""Steps 1-3 of a sync: the client's acknowledgement and its edits, read against its state.

Nothing is stored and the client's state does not change here (except that a desync drops it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from app.coedit.engine.deltas import BadDelta, DeltaMismatch, from_delta
from app.coedit.engine.errors import SyncError
from app.coedit.engine.rebase import compose
from app.coedit.engine.state import ClientState, ReceivedEdits


def receive_edits(
    state: ClientState,
    m: int,
    edits: list,
    *,
    max_delta: int,
    max_text: int,
    stats: Counter,
    desync: Callable[[ClientState | None, str], SyncError],
) -> ReceivedEdits:
    """Steps 1-3: the client's acknowledgement and its edits, read against its state."""
    # 1. acknowledged server edits leave the outbox
    outbox = [e for e in state.outbox if e["m"] >= m]
    shadow, shadow_m, shadow_rev = state.shadow, state.shadow_m, state.shadow_rev
    # 2. the client's m is not our shadow's: it missed our last answer, or this is a
    # duplicate of a request already answered. With new edits (computed against the
    # shadow it had before our answer) the backup shadow is restored, as in Fraser's
    # paper; without, the outbox still holds exactly the edits it lacks, so the state
    # is kept and they are sent again (a duplicate cannot then desynchronize the shadow).
    resent = False
    base_to = None
    if m != shadow_m and m in state.kept:
        # push mode: pushes crossed this sync on the wire (or were ignored); the client's
        # edits start from the shadow we had before pushing edit m, and this answer
        # supersedes those pushes
        shadow, shadow_rev = state.kept[m]
        shadow_m = m
        outbox = []
        stats["push_crossings"] += 1
    elif m != shadow_m:
        fresh = any(edit["n"] >= state.shadow_n for edit in edits)
        if fresh and m == state.backup_m:
            shadow, shadow_m, shadow_rev = state.backup, state.backup_m, state.backup_rev
            outbox = []
            stats["backup_restores"] += 1
            if shadow_rev is None:
                base_to = _backup_answer(state)
        elif not fresh and outbox and outbox[0]["m"] == m:
            resent = True
            stats["resent_outbox"] += 1
        else:
            raise desync(
                state if fresh else None,
                f"Server edit {m} does not match the shadow ({shadow_m}).",
            )
    # 3. the client's edits, in order, exactly onto the shadow
    shadow_n = state.shadow_n
    patches = []
    base_rev, base_text = shadow_rev, shadow
    own = None  # the client's edits as one exact diff from base_text (at base_rev)
    for edit in edits:
        n, delta = edit["n"], edit["delta"]
        if n < shadow_n:
            stats["duplicate_edits"] += 1
            continue
        if n > shadow_n:
            raise desync(state, f"Client edit {n} arrived before edit {shadow_n}.")
        if len(delta) > max_delta:
            raise SyncError("too_large", f"A delta has at most {max_delta} characters.")
        try:
            diffs, new_shadow = from_delta(shadow, delta)
        except BadDelta as error:
            raise SyncError("bad_request", f"Undecodable delta: {error}") from error
        except DeltaMismatch as error:
            raise desync(state, f"The delta does not fit the shadow: {error}") from error
        if len(new_shadow) > max_text:
            raise SyncError("too_large", f"A live text has at most {max_text} characters.")
        if new_shadow != shadow:
            patches.append((shadow, diffs))  # made into patches only for the fallback
            own = diffs if own is None else compose(own, diffs)
            shadow, shadow_rev = new_shadow, None
        shadow_n += 1
    return ReceivedEdits(
        outbox,
        shadow,
        shadow_m,
        shadow_rev,
        shadow_n,
        resent,
        patches,
        base_rev,
        base_text,
        own,
        base_to,
    )


def _backup_answer(state: ClientState) -> tuple[int, list] | None:
    """The exact diff from the backup shadow to a stored rev: the answer it was sent, decoded.

    The backup holds the client's edits up to shadow_n, already stored and acknowledged; edits
    made on it are then rebased exactly onto the stored text instead of patched fuzzily.
    """
    if state.backup_to is None:
        return None
    rev, delta = state.backup_to
    try:
        diffs, _text = from_delta(state.backup, delta)
    except ValueError:
        return None
    return rev, diffs
