"""Differential synchronization, server side (docs/coedit-protocol.md `join` and `sync` steps 1-7).

Fraser's guaranteed-delivery variant: per joined client a shadow, a backup shadow and an
outbox of unacknowledged server edits (`state`). The authoritative text lives behind a
`TextStore` (`store`); each channel's view of it, with the rev history used to rebase and
answer exactly, is a `Channel`.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import Counter

from app.coedit.engine.channel import Channel
from app.coedit.engine.deltas import Differ, to_delta
from app.coedit.engine.errors import SyncError
from app.coedit.engine.group_commit import GROUP_WINDOW, Submission
from app.coedit.engine.rebase import ends
from app.coedit.engine.receive import receive_edits
from app.coedit.engine.state import (
    STATE_TTL,
    ClientState,
    ClientStates,
    JoinResult,
    PushResult,
    ReceivedEdits,
    SyncResult,
)
from app.coedit.engine.store import Change, TextStore

log = logging.getLogger(__name__)

MAX_OUTBOX = 500
CAS_ATTEMPTS = 20


class SyncEngine:
    """Joins, syncs and leaves of co-editing clients against one TextStore."""

    def __init__(
        self,
        store: TextStore,
        *,
        diff_timeout: float = 0.5,
        max_text: int = 2 * 1024 * 1024,
        max_delta: int = 256 * 1024,
        state_ttl: float = STATE_TTL,
        group_window: float = GROUP_WINDOW,
        clock=time.monotonic,
    ):
        self.store = store
        self.differ = Differ(diff_timeout)
        self.max_text = max_text
        self.max_delta = max_delta
        self.state_ttl = state_ttl
        self.group_window = group_window
        self.clock = clock
        self.states = ClientStates()
        self.channels: dict[object, Channel] = {}
        self.stats: Counter = Counter()
        self._lock = threading.Lock()

    # -- bookkeeping

    def _channel(self, channel) -> Channel:
        with self._lock:
            cached = self.channels.get(channel)
            if cached is None:
                cached = self.channels[channel] = Channel(
                    channel, self.store, self.differ, self.stats, group_window=self.group_window
                )
            return cached

    def expire(self) -> int:
        """Forget detached clients older than the TTL; returns how many."""
        return self.states.expire(self.clock(), self.state_ttl)

    def detach(self, client_id: str) -> None:
        """The client's connection closed: keep its state for a resume until the TTL passes."""
        self.states.detach(client_id, self.clock())

    def leave(self, client_id: str) -> None:
        self.states.remove(client_id)

    def drop(self, client_id: str) -> None:
        self.leave(client_id)

    # -- protocol

    def join(
        self,
        channel,
        *,
        user=None,
        mode: str = "edit",
        client_id: str | None = None,
        push: bool = False,
    ) -> JoinResult:
        """Resume a known client's state or start a fresh one from the current text.

        A fresh start of an editor that named a client_id whose state is gone (restart, expiry,
        another process) says which of that client's edits reached the text (`applied`): one
        read of the edit log, only then.
        """
        self.expire()
        cached = self._channel(channel)
        state = self.states.get(client_id) if client_id else None
        if push and mode == "follow":
            state = None  # a push follower keeps no shadow: it always starts from the text
        if state is not None and state.channel == channel and state.user == user:
            # the client's lock before the channel's, in the order a sync takes them
            with state.lock:
                with cached.lock:
                    _text, rev = cached.current()
                state.mode, state.attached, state.last_seen = mode, True, self.clock()
                state.push = push
                self.stats["resumes"] += 1
                return JoinResult(
                    state.client_id, state.shadow, rev, state.shadow_n, state.shadow_m, True
                )
        with cached.lock:
            text, rev = cached.current()
        applied = None
        if client_id and mode == "edit":
            # read after the text: a change of the client stored in between (by a sync still
            # under way elsewhere) is then counted as applied, and reaches the client through
            # its next answer, instead of being sent a second time
            applied = cached.applied(client_id, user)
            self.stats["fresh_rejoins"] += 1
        state = ClientState(
            client_id=secrets.token_urlsafe(16),
            channel=channel,
            user=user,
            mode=mode,
            shadow=text,
            shadow_rev=rev,
            backup=text,
            backup_rev=rev,
            last_seen=self.clock(),
            push=push,
        )
        self.states.add(state)
        self.stats["joins"] += 1
        return JoinResult(state.client_id, text, rev, 0, 0, False, applied)

    def sync(
        self,
        client_id: str,
        channel,
        m: int,
        edits: list,
        *,
        author=None,
        rev_hint: int | None = None,
    ) -> SyncResult:
        """Steps 1-7 of the protocol's `sync`; client state changes only once the text is stored.

        Syncs that change the text go through the channel's group commit: several of them,
        arriving together, are stored in one transaction and answered after its commit.
        """
        state = self.states.get(client_id)
        if state is None or state.channel != channel:
            raise self._desync(
                None, "No state for this client here (expired or server restarted): join again."
            )
        if edits and state.mode != "edit":
            raise SyncError("forbidden", "A follower cannot send edits.")
        cached = self._channel(channel)
        with state.lock:
            self.stats["syncs"] += 1
            state.last_seen = self.clock()
            received = receive_edits(
                state,
                m,
                edits,
                max_delta=self.max_delta,
                max_text=self.max_text,
                stats=self.stats,
                desync=self._desync,
            )
            if received.patches:
                submission = Submission(state, received, author, rev_hint)
                return cached.group.submit(submission, lambda group: self._commit(cached, group))
            with cached.lock:
                text, rev = cached.current(rev_hint)
                return self._answer(state, cached, received, text, rev)

    # -- steps

    def _commit(self, cached: Channel, group: list[Submission]) -> None:
        """Step 5 for a group: carry each sync's edits in order, store all in one transaction.

        Compare-and-swap on the first rev, retried from the newly stored text when another
        writer got there first; then every sync of the group is answered (steps 4, 6, 7).
        """
        hints = [s.rev_hint for s in group]
        text, rev = cached.current(None if None in hints else max(hints))
        for _attempt in range(CAS_ATTEMPTS):
            first_rev, changes, outcomes = rev, [], []
            try:
                for submission in group:
                    try:
                        new_text, diffs, answer, failed = cached.carry(
                            text, rev, submission.received, max_text=self.max_text
                        )
                    except SyncError as error:
                        outcomes.append(error)
                        continue
                    changed = new_text != text
                    if changed:
                        text, rev = new_text, rev + 1
                        delta = to_delta(diffs)
                        cached.remember_change(rev, delta, diffs)
                        changes.append(
                            Change(
                                text,
                                submission.author,
                                delta,
                                submission.state.client_id,
                                submission.received.shadow_n,
                            )
                        )
                    outcomes.append((changed, rev, answer, failed))
            except BaseException:
                cached.history.forget_after(first_rev)  # nothing of this group was stored
                raise
            if not changes or cached.save_changes(first_rev, changes):
                break
            self.stats["cas_retries"] += 1
            text, rev = cached.reload()
        else:
            raise SyncError(
                "desync", "The text is changing too fast to store this edit; join again."
            )
        cached.text, cached.rev = text, rev
        self.stats["stored_revs"] += len(changes)
        if len(changes) > 1:
            self.stats["group_commits"] += 1
            self.stats["grouped_revs"] += len(changes)
        for submission, outcome in zip(group, outcomes, strict=True):
            if isinstance(outcome, SyncError):
                submission.error = outcome
                continue
            changed, answer_rev, answer, failed = outcome
            cached.count_failed(failed)
            try:
                submission.result = self._answer(
                    submission.state, cached, submission.received, text, rev, answer, answer_rev
                )
                submission.result.changed = changed  # its own edit made a rev
                submission.result.base_rev = first_rev
            except SyncError as error:
                submission.error = error

    def _answer(
        self,
        state: ClientState,
        cached: Channel,
        received: ReceivedEdits,
        text: str,
        rev: int,
        answer: list | None = None,
        answer_rev: int | None = None,
    ) -> SyncResult:
        """Steps 4, 6 and 7 against the stored text at rev; the client's state changes here."""
        outbox = received.outbox
        shadow, shadow_m, shadow_rev = received.shadow, received.shadow_m, received.shadow_rev
        # 4. the backup is the shadow with the client's edits in it
        if received.resent:
            backup, backup_m, backup_rev = state.backup, state.backup_m, state.backup_rev
            backup_to = state.backup_to
        else:
            backup, backup_m, backup_rev, backup_to = shadow, shadow_m, shadow_rev, None
        # 6. what the client lacks, as one more server edit
        if shadow_rev != rev and shadow != text:
            diffs = cached.extend(answer, answer_rev, rev) if answer is not None else None
            if diffs is not None and ends(diffs) == (shadow, text):
                self.stats["rebased_answers"] += 1
                delta = to_delta(diffs)
            else:
                delta = cached.answer_delta(
                    shadow, shadow_rev, text, rev, received.base_rev, received.own
                )
            outbox.append({"m": shadow_m, "delta": delta})
            if not received.resent:
                backup_to = (rev, delta)  # exactly how the backup reaches the stored text
            shadow, shadow_m = text, shadow_m + 1
        elif not received.resent and backup_rev is None:
            backup_rev = rev  # the backup is the stored text at rev
        shadow_rev = rev
        if len(outbox) > MAX_OUTBOX:
            raise self._desync(state, "Too many unacknowledged server edits.")
        state.shadow, state.shadow_n, state.shadow_m = shadow, received.shadow_n, shadow_m
        state.shadow_rev = shadow_rev
        state.backup, state.backup_m, state.backup_rev = backup, backup_m, backup_rev
        state.backup_to = backup_to
        state.outbox = outbox
        state.kept = {}  # every sync ends the pushes before it
        # 7.
        return SyncResult(n=received.shadow_n, edits=list(outbox), rev=rev, changed=False)

    # -- push mode (docs/coedit-protocol.md "Push mode")

    def push(self, client_ids, channel, rev_hint: int | None = None) -> tuple[dict, list]:
        """Step 6 for every push editor of `channel` whose shadow is behind the stored text.

        Returns ({client_id: PushResult}, busy client_ids). A client whose state is locked (a
        sync of it is under way) is not waited for but reported busy: its answer carries the
        text, and the sync handler asks for another window if the text moved on meanwhile.
        `rev_hint`: the stored rev that opened the window (the cached text, when at least that
        new, is used without asking the database).
        """
        cached = self._channel(channel)
        with cached.lock:
            text, rev = cached.current(rev_hint if rev_hint is not None else cached.rev)
        pushed, busy = {}, []
        for client_id in client_ids:
            state = self.states.get(client_id)
            if state is None or not state.push or state.mode != "edit" or not state.attached:
                continue
            if not state.lock.acquire(blocking=False):
                busy.append(client_id)
                continue
            try:
                result = self._push_one(state, cached, text, rev)
            finally:
                state.lock.release()
            if result is not None:
                pushed[client_id] = result
        return pushed, busy

    def _push_one(self, state: ClientState, cached: Channel, text: str, rev: int):
        if state.shadow_rev is not None and state.shadow_rev >= rev:
            return None
        if state.shadow == text:
            state.shadow_rev = rev
            return None
        with cached.lock:
            delta = cached.answer_delta(state.shadow, state.shadow_rev, text, rev)
        state.kept[state.shadow_m] = (state.shadow, state.shadow_rev)
        state.outbox.append({"m": state.shadow_m, "delta": delta})
        state.shadow, state.shadow_m, state.shadow_rev = text, state.shadow_m + 1, rev
        self.stats["pushes"] += 1
        if len(state.outbox) > MAX_OUTBOX:
            self._desync(state, "Too many unacknowledged pushed edits.")
            return None
        return PushResult(list(state.outbox), rev)

    def channel_rev(self, channel) -> int:
        """The last stored rev this process knows of (no database read)."""
        return self._channel(channel).rev

    def revs(
        self, channel, from_rev: int, from_text: str | None, rev_hint: int | None = None
    ) -> tuple[int, str, str | None]:
        """Followers' window: (to_rev, to_text, delta from the text at from_rev to it, or None).

        The delta is computed once per window for every follower: composed from the stored
        steps when known, else diffed from `from_text`.
        """
        cached = self._channel(channel)
        with cached.lock:
            text, rev = cached.current(rev_hint if rev_hint is not None else cached.rev)
            if rev <= from_rev:
                return rev, text, None
            key = (from_rev, rev)
            delta = cached.history.deltas.get(key)
            if delta is None:
                try:
                    diffs = cached.history.chain(from_rev, rev)
                except ValueError:
                    diffs = None
                if diffs is not None:
                    start, end = ends(diffs)
                    if end != text or (from_text is not None and start != from_text):
                        diffs = None
                if diffs is None and from_text is not None:
                    diffs = self.differ.diff(from_text, text)
                if diffs is None:
                    return rev, text, None
                delta = to_delta(diffs)
                cached.history.remember(key, delta)
            self.stats["revs_windows"] += 1
            return rev, text, delta

    # -- helpers

    def _desync(self, state: ClientState | None, message: str) -> SyncError:
        self.stats["desyncs"] += 1
        if state is not None:
            self.drop(state.client_id)
        log.info("desync: %s", message)
        return SyncError("desync", message)

    @property
    def diff_timeouts(self) -> int:
        return self.differ.timeouts
