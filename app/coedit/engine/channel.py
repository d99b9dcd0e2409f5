"""One channel's authoritative text as the engine sees it: read, edited exactly, stored, diffed."""

from __future__ import annotations

import logging
import threading
from collections import Counter

from app.coedit.engine.deltas import Differ, from_delta, to_delta
from app.coedit.engine.errors import SyncError
from app.coedit.engine.group_commit import GROUP_WINDOW, GroupCommit
from app.coedit.engine.history import LOG_REPLAY_LIMIT, STEP_CACHE_SIZE, RevHistory
from app.coedit.engine.rebase import EQUAL, compose, ends, invert, merged, rebase
from app.coedit.engine.state import ReceivedEdits
from app.coedit.engine.store import Change, TextStore

log = logging.getLogger(__name__)


class Channel:
    """The last stored text read for a channel, its rev history, and storing changes to it."""

    def __init__(
        self,
        key,
        store: TextStore,
        differ: Differ,
        stats: Counter,
        *,
        group_window: float = GROUP_WINDOW,
    ):
        self.key = key
        self.store = store
        self.differ = differ
        self.stats = stats
        self.rev = -1
        self.text = ""
        self.history = RevHistory()
        self.lock = threading.RLock()
        self.group = GroupCommit(self.lock, group_window)

    def current(self, rev_hint: int | None = None) -> tuple[str, int]:
        """The stored text and rev, re-read only when another writer moved the rev.

        `rev_hint`: the stored rev the caller read just before (with its permission check);
        the cache, when it is at least that new, is current enough (a compare-and-swap
        catches anything newer).
        """
        if rev_hint is not None and self.rev >= rev_hint:
            return self.text, self.rev
        rev = self.store.rev(self.key)
        if rev != self.rev:
            self.text, self.rev = self.store.load(self.key)
        return self.text, self.rev

    def _logged_steps(self, base_rev: int, base_text: str, rev: int) -> list | None:
        """The diffs of stored revs base_rev + 1..rev, as (rev, diffs), from the store's edit log.

        Each logged delta decodes exactly against the text before it, starting from the
        client's base text; None when the log lacks one of them or one does not fit.
        """
        fetch = getattr(self.store, "deltas", None)
        if fetch is None or rev - base_rev > LOG_REPLAY_LIMIT:
            return None
        entries = fetch(self.key, base_rev, rev)
        if [r for r, _ in entries] != list(range(base_rev + 1, rev + 1)):
            return None
        steps, text = [], base_text
        for r, delta in entries:
            try:
                diffs, text = from_delta(text, delta)
            except ValueError:
                return None
            steps.append((r, diffs))
        self.stats["steps_from_log"] += len(steps)
        return steps

    def _since_from_log(self, base_rev: int, base_text: str, rev: int) -> list | None:
        """The exact diff from the text at base_rev to the text at rev, from the edit log.

        Needed when another process stored some of the revs, or they left the history. Revs
        within the history's reach are remembered there (other clients chain them); a base
        further back has its steps composed here, once, never replaced by a diff of the two
        texts: such a diff may replace whole unchanged paragraphs, and edits carried over it
        would be moved and split apart.
        """
        if rev - base_rev <= STEP_CACHE_SIZE:
            steps = self._logged_steps(base_rev, base_text, rev)
            if steps is None:
                return None
            for r, diffs in steps:
                self.history.remember_step(r, diffs)
            return self.history.chain(base_rev, rev)
        # only the steps that left the history are read from the log
        middle = rev - STEP_CACHE_SIZE
        tail = self.history.chain(middle, rev)
        steps = self._logged_steps(base_rev, base_text, rev if tail is None else middle)
        if steps is None:
            return None
        composed = None
        for _r, diffs in steps:
            composed = merged(diffs if composed is None else compose(composed, diffs))
        self.stats["bases_from_log"] += 1
        return composed if tail is None else compose(composed, tail)

    def since(self, base_rev: int, base_text: str, text: str, rev: int) -> list | None:
        """The exact diff from the text at base_rev (base_text) to the stored text at rev."""
        if base_rev == rev:
            if base_text != text:
                return None
            return [(EQUAL, base_text)] if base_text else []
        try:
            diffs = self.history.chain(base_rev, rev)
            if diffs is None:
                diffs = self._since_from_log(base_rev, base_text, rev)
        except ValueError:
            diffs = None
        if diffs is None or ends(diffs) != (base_text, text):
            return None
        return diffs

    def _since_answer(self, base_to: tuple[int, list], base_text: str, text: str, rev: int):
        """The exact diff from base_text to the stored text at rev, through the stored rev that
        `base_to` = (answer_rev, diffs) leads base_text to."""
        answer_rev, diffs = base_to
        start, answered = ends(diffs)
        if start != base_text:
            return None
        if answer_rev == rev:
            return diffs if answered == text else None
        after = self.since(answer_rev, answered, text, rev)
        if after is None:
            return None
        try:
            diffs = compose(diffs, after)
        except ValueError:
            return None
        return diffs if ends(diffs) == (base_text, text) else None

    def carry(
        self, text: str, rev: int, received: ReceivedEdits, *, max_text: int
    ) -> tuple[str, list | None, list | None, int]:
        """The stored text (at rev) with the client's edits in it; nothing is stored.

        Exact when the client's base is a known stored rev, or a restored backup shadow whose
        answer to a stored rev is known: its diff is rebased through the stored diffs since
        then (composed from the edit log when they left the history). When not even the log
        has them, it is rebased over a diff of its base to the stored text, whose regions
        replaced whole around the client's edits are diffed again: every edit lands, none is
        patched fuzzily. Fuzzy
        patching is the last resort, counted and logged. Returns (new text, diff from `text`,
        answer, failed hunks): `answer`, when known, is the exact diff from the client's new
        shadow to the new text.
        """
        own, since = received.own, None
        if own is not None and received.base_rev is not None:
            since = self.since(received.base_rev, received.base_text, text, rev)
        elif own is not None and received.base_to is not None:
            since = self._since_answer(received.base_to, received.base_text, text, rev)
        if own is not None and since is None:
            since = self.differ.change_around(received.base_text, text, own)
            self.stats["diffed_bases"] += 1
            log.info("channel %s: base of an edit not in the history, diffed", self.key)
        diffs = answer = None
        if since is not None:
            try:
                diffs = rebase(own, since)
                answer = rebase(since, own, mine_earlier=True)
            except ValueError:
                diffs = answer = None
        if diffs is not None:
            new_text = ends(diffs)[1]
            self.stats["rebased_edits"] += 1
            failed = 0
        else:
            new_text, failed = self._apply_fuzzily(text, received.patches, received.base_rev)
        if len(new_text) > max_text:
            raise SyncError("too_large", f"A live text has at most {max_text} characters.")
        if new_text != text and diffs is None:
            diffs = self.differ.diff(text, new_text)
        return new_text, diffs, answer, failed

    def remember_change(self, rev: int, delta: str, diffs: list) -> None:
        """Note the change that makes rev from rev - 1 (forgotten again if it is not stored)."""
        self.history.remember((rev - 1, rev), delta)
        self.history.remember_step(rev, diffs)

    def save_changes(self, old_rev: int, changes: list[Change]) -> bool:
        """Store the changes as revs old_rev + 1... in one transaction (CAS).

        On failure the changes remembered for those revs are forgotten.
        """
        try:
            if len(changes) == 1:
                text, author, delta, client_id, client_n = changes[0]
                saved = self.store.save(
                    self.key,
                    old_rev,
                    text,
                    author=author,
                    delta=delta,
                    client_id=client_id,
                    client_n=client_n,
                )
            else:
                saved = self.store.save_many(self.key, old_rev, changes)
        except BaseException:
            self.history.forget_after(old_rev)
            raise
        if not saved:
            self.history.forget_after(old_rev)
        return saved

    def applied(self, client_id: str, author) -> int | None:
        """The highest client_n the edit log holds for the client's changes (0: none of them),
        None when the store does not keep it."""
        fetch = getattr(self.store, "applied", None)
        if fetch is None:
            return None
        return fetch(self.key, client_id, author) or 0

    def reload(self) -> tuple[str, int]:
        """Read the stored text and rev again (after losing a compare-and-swap)."""
        self.text, self.rev = self.store.load(self.key)
        return self.text, self.rev

    def _apply_fuzzily(self, text: str, patches: list, base_rev) -> tuple[str, int]:
        """The fallback: the client's patches applied with fuzzy matching; (text, failed hunks)."""
        failed = 0
        for before, edit_diffs in patches:
            patch = self.differ.patch_make(before, edit_diffs)
            text, results = self.differ.patch_apply(patch, text)
            failed += results.count(False)
        self.stats["fuzzy_fallbacks"] += 1
        log.info(
            "fuzzy patch fallback on channel %s (base rev %s unknown; %d so far)",
            self.key,
            base_rev,
            self.stats["fuzzy_fallbacks"],
        )
        return text, failed

    def count_failed(self, failed: int) -> None:
        if failed:
            self.stats["failed_hunks"] += failed
            log.warning(
                "%d patch hunk(s) failed to apply on channel %s (%d so far)",
                failed,
                self.key,
                self.stats["failed_hunks"],
            )

    def extend(self, answer: list, answer_rev: int, rev: int) -> list | None:
        """`answer` (a diff to the text at answer_rev) carried on to the text at rev, if known."""
        if answer_rev == rev:
            return answer
        try:
            chained = self.history.chain(answer_rev, rev)
            if chained is None:
                return None
            diffs = compose(answer, chained)
        except ValueError:
            return None
        self.differ.diff_cleanupMerge(diffs)
        return diffs

    def answer_delta(
        self, shadow: str, shadow_rev, text: str, rev: int, base_rev=None, own=None
    ) -> str:
        """The delta from the client's shadow to the stored text at rev.

        Computed once per pair of revs and shared; composed from the diffs between consecutive
        stored revs when they are known (a client whose shadow holds its own new edits gets them
        undone and the stored changes since its base rev redone, merged), diffed otherwise.
        """
        key = (shadow_rev, rev) if shadow_rev is not None else None
        if key is not None and key in self.history.deltas:
            self.stats["delta_cache_hits"] += 1
            return self.history.deltas[key]
        self.stats["delta_cache_misses"] += 1
        diffs = None
        start = shadow_rev if shadow_rev is not None else base_rev
        if start is not None and (shadow_rev is not None or own is not None):
            try:
                chained = self.history.chain(start, rev)
                if chained is not None:
                    diffs = (
                        list(chained) if shadow_rev is not None else compose(invert(own), chained)
                    )
                    self.differ.diff_cleanupMerge(diffs)
                    if ends(diffs) != (shadow, text):
                        self.stats["compose_mismatches"] += 1
                        diffs = None
                    else:
                        self.stats["composed_deltas"] += 1
            except ValueError:
                self.stats["compose_mismatches"] += 1
                diffs = None
        if diffs is None:
            self.stats["diffed_deltas"] += 1
            diffs = self.differ.diff(shadow, text)
        delta = to_delta(diffs)
        if key is not None:
            self.history.remember(key, delta)
        return delta
