"""Differential synchronization, server side (COEDIT.md `sync` steps 1-7), in plain Python.

Fraser's guaranteed-delivery variant: per joined client a shadow, a backup shadow and an
outbox of unacknowledged server edits. The authoritative text lives behind a `TextStore`
(load the text and its rev, compare-and-swap a new text with its edit-log entry), so the
same engine runs against the database and, in tests, against `MemoryStore`.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
import urllib.parse
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

from diff_match_patch import diff_match_patch

log = logging.getLogger(__name__)

STATE_TTL = 600.0  # seconds a detached client's state is kept for a resume
CAS_ATTEMPTS = 20
DELTA_CACHE_SIZE = 256
CHAIN_CACHE_SIZE = 32
STEP_CACHE_SIZE = 128  # diffs between consecutive stored revs kept for composing
MAX_OUTBOX = 500


class SyncError(Exception):
    """A refused join or sync; `code` is one of COEDIT.md's error codes."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


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
        with self.lock:
            if self.texts[channel][1] != old_rev:
                return False
            self.texts[channel] = (text, old_rev + 1)
            self.log.setdefault(channel, []).append((old_rev + 1, author, delta))
            return True


# --- deltas -------------------------------------------------------------------------------

_dmp = diff_match_patch()
_QUOTE_SAFE = "!~*'();/?:@&=+$,# "  # what JavaScript's encodeURI leaves alone (and the space)


class _Local(threading.local):
    fired = False


_local = _Local()


class Differ(diff_match_patch):
    """diff-match-patch with a deliberate Diff_Timeout and a count of the times it fired."""

    def __init__(self, timeout: float = 0.5):
        super().__init__()
        self.Diff_Timeout = timeout
        self.timeouts = 0

    def diff_bisect(self, text1, text2, deadline):
        diffs = super().diff_bisect(text1, text2, deadline)
        if deadline is not None and time.time() > deadline:
            _local.fired = True
        return diffs

    def match_main(self, text, pattern, loc):
        """Fuzzy match, but an exact occurrence near `loc` first (no bitap when one exists).

        Concurrent typing elsewhere only shifts a patch's context: finding it verbatim, nearest
        the expected place, gives bitap's answer for all but far-away duplicates, at C speed.
        """
        if not pattern or not text:
            return super().match_main(text, pattern, loc)
        loc = max(0, min(loc, len(text)))
        if text[loc : loc + len(pattern)] == pattern:
            return loc
        reach = max(len(pattern), int(self.Match_Distance * self.Match_Threshold / 2))
        after = text.find(pattern, loc, loc + reach + len(pattern))
        before = text.rfind(pattern, max(0, loc - reach), loc + len(pattern) - 1)
        found = [p for p in (after, before) if p >= 0]
        if found:
            return min(found, key=lambda p: abs(p - loc))
        return super().match_main(text, pattern, loc)

    def diff(self, text1: str, text2: str) -> list:
        _local.fired = False
        diffs = self.diff_main(text1, text2, True)
        if _local.fired:
            self.timeouts += 1
            log.warning(
                "diff timed out after %.2fs (%d/%d chars)",
                self.Diff_Timeout,
                len(text1),
                len(text2),
            )
        return diffs


def diff_main(text1: str, text2: str) -> list:
    return _dmp.diff_main(text1, text2, True)


def to_delta(diffs: list) -> str:
    """diff_toDelta: lengths in UTF-16 code units, inserts %-escaped as JavaScript's encodeURI does."""
    parts = []
    for op, data in diffs:
        if op == diff_match_patch.DIFF_INSERT:
            parts.append("+" + urllib.parse.quote(data.encode("utf-8"), _QUOTE_SAFE))
        elif data:
            units = len(data.encode("utf-16-le")) // 2
            parts.append(("=" if op == diff_match_patch.DIFF_EQUAL else "-") + str(units))
    return "\t".join(parts)


class BadDelta(ValueError):
    """A delta that is not well-formed (bad_request), as opposed to one that does not fit (desync)."""


class DeltaMismatch(ValueError):
    """A well-formed delta whose lengths do not fit the text it is applied to (stale shadow)."""


def from_delta(text: str, delta: str) -> tuple[list, str]:
    """Decode `delta` against `text`: the diffs (in code points) and the resulting text.

    Works in UTF-16 code units like the JavaScript library; a delta from a JavaScript diff that
    splits a surrogate pair still decodes, re-diffed on whole characters.
    """
    if not isinstance(delta, str):
        raise BadDelta("A delta is a string.")
    units = text.encode("utf-16-le")
    pointer = 0
    pieces: list[tuple[int, bytes]] = []
    for token in delta.split("\t"):
        if not token:
            continue
        op, param = token[0], token[1:]
        if op == "+":
            try:
                inserted = urllib.parse.unquote(param, errors="strict")
            except UnicodeDecodeError as error:
                raise BadDelta("An insertion is not valid %-encoded UTF-8.") from error
            pieces.append(
                (diff_match_patch.DIFF_INSERT, inserted.encode("utf-16-le", "surrogatepass"))
            )
        elif op in "-=":
            if not param.isdigit() or len(param) > 12:
                raise BadDelta(f"Invalid length {param[:20]!r} in a delta.")
            size = int(param) * 2
            if pointer + size > len(units):
                raise DeltaMismatch("The delta is longer than the text it applies to.")
            chunk = units[pointer : pointer + size]
            pointer += size
            pieces.append(
                (diff_match_patch.DIFF_EQUAL if op == "=" else diff_match_patch.DIFF_DELETE, chunk)
            )
        else:
            raise BadDelta(f"Invalid operation {op!r} in a delta.")
    if pointer != len(units):
        raise DeltaMismatch("The delta is shorter than the text it applies to.")
    new_units = b"".join(chunk for op, chunk in pieces if op != diff_match_patch.DIFF_DELETE)
    try:
        diffs = [(op, chunk.decode("utf-16-le")) for op, chunk in pieces]
        return diffs, "".join(data for op, data in diffs if op != diff_match_patch.DIFF_DELETE)
    except UnicodeDecodeError:
        pass
    try:
        new_text = new_units.decode("utf-16-le")
    except UnicodeDecodeError as error:
        raise BadDelta("The delta leaves half of a surrogate pair.") from error
    return diff_main(text, new_text), new_text


def invert(diffs: list) -> list:
    """The diff that undoes `diffs` (text2 -> text1)."""
    return [(-op, data) for op, data in diffs]


def compose(first: list, second: list) -> list:
    """One diff doing `first` (t0 -> t1) then `second` (t1 -> t2): t0 -> t2, without diffing.

    Exact by construction; the caller merges it (diff_cleanupMerge) and may check its ends.
    Raises ValueError when `second` does not start from `first`'s result.
    """
    out: list = []
    ops = iter(first)
    a_op, a_data = 0, ""
    for b_op, b_data in second:
        if b_op == diff_match_patch.DIFF_INSERT:
            out.append((b_op, b_data))
            continue
        need = len(b_data)
        while need:
            if not a_data:
                a_op, a_data = next(ops, (None, None))
                if a_op is None:
                    raise ValueError("the second diff is longer than the first one's result")
                if a_op == diff_match_patch.DIFF_DELETE:
                    out.append((a_op, a_data))
                    a_data = ""
                continue
            take = min(need, len(a_data))
            piece = a_data if take == len(a_data) else a_data[:take]
            a_data = "" if take == len(a_data) else a_data[take:]
            need -= take
            if a_op == diff_match_patch.DIFF_EQUAL:
                out.append((b_op, piece))  # kept, or deleted by the second diff
            elif b_op == diff_match_patch.DIFF_EQUAL:
                out.append((diff_match_patch.DIFF_INSERT, piece))  # inserted, kept
            # inserted by the first diff and deleted by the second: nothing
    if a_data:
        raise ValueError("the second diff is shorter than the first one's result")
    for a_op, a_data in ops:
        if a_op != diff_match_patch.DIFF_DELETE:
            raise ValueError("the second diff is shorter than the first one's result")
        out.append((a_op, a_data))
    return out


EQUAL, INSERT, DELETE = (
    diff_match_patch.DIFF_EQUAL,
    diff_match_patch.DIFF_INSERT,
    diff_match_patch.DIFF_DELETE,
)


def rebase(mine: list, theirs: list, *, mine_earlier: bool = False) -> list:
    """Carry `mine` (base -> mine) over `theirs` (base -> theirs): a diff from theirs to both.

    Positions map deterministically, as diff-match-patch's diff_xIndex does: an insertion of
    mine at a point where theirs also inserted goes after theirs' when theirs is the earlier
    change (`mine_earlier=False`, the server carrying a client's edit over stored revs) and
    before it otherwise, so concurrent insertions never interleave. A character deleted by
    either side is gone once. The one place where text is lost is the exception the protocol
    allows: an insertion of the earlier side strictly inside a region the later side deletes
    (both neighbouring base characters deleted) goes with that region; an insertion of the
    later side inside a region the earlier side deleted survives where the region was.
    Exact: `rebase(a, b, mine_earlier=e)` and `rebase(b, a, mine_earlier=not e)` end at the
    same text. Raises ValueError when the two diffs do not start from the same base.
    """
    out: list = []
    mi = ti = 0
    m_op, m_data = mine[0] if mine else (None, "")
    t_op, t_data = theirs[0] if theirs else (None, "")
    m_prev_deleted = t_prev_deleted = False

    def emit(op, data):
        if not data:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + data)
        else:
            out.append((op, data))

    def next_base_op(ops, index, op):
        """The op of the next base character of a diff (skipping insertions), or None."""
        if op is not None and op != INSERT:
            return op
        for later_op, later_data in ops[index + 1 :]:
            if later_op != INSERT and later_data:
                return later_op
        return None

    while m_op is not None or t_op is not None:
        if m_op is not None and not m_data:
            mi += 1
            m_op, m_data = mine[mi] if mi < len(mine) else (None, "")
            continue
        if t_op is not None and not t_data:
            ti += 1
            t_op, t_data = theirs[ti] if ti < len(theirs) else (None, "")
            continue
        if t_op == INSERT and not (m_op == INSERT and mine_earlier):
            # theirs' insertion is in their text: kept, unless mine (later) deletes around it
            spanned = not mine_earlier and m_prev_deleted and next_base_op(mine, mi, m_op) == DELETE
            emit(DELETE if spanned else EQUAL, t_data)
            t_data = ""
            continue
        if m_op == INSERT:
            # mine's insertion is new text, unless theirs (later) deleted around it
            spanned = mine_earlier and t_prev_deleted and next_base_op(theirs, ti, t_op) == DELETE
            if not spanned:
                emit(INSERT, m_data)
            m_data = ""
            continue
        if m_op is None or t_op is None:
            raise ValueError("the two diffs do not start from the same text")
        size = min(len(m_data), len(t_data))
        piece = m_data[:size]
        if piece != t_data[:size]:
            raise ValueError("the two diffs do not start from the same text")
        if t_op == EQUAL:
            emit(EQUAL if m_op == EQUAL else DELETE, piece)
        m_prev_deleted, t_prev_deleted = m_op == DELETE, t_op == DELETE
        m_data, t_data = m_data[size:], t_data[size:]
    return out


def _ends(diffs: list) -> tuple[str, str]:
    return (
        "".join(d for op, d in diffs if op != diff_match_patch.DIFF_INSERT),
        "".join(d for op, d in diffs if op != diff_match_patch.DIFF_DELETE),
    )


# --- per-client state ----------------------------------------------------------------------


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
    outbox: list = field(default_factory=list)
    attached: bool = True
    last_seen: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


@dataclass
class JoinResult:
    client_id: str
    text: str
    rev: int
    n: int
    m: int
    resumed: bool


@dataclass
class SyncResult:
    n: int
    edits: list
    rev: int
    changed: bool


class _ChannelCache:
    """The last text read for a channel and the deltas between stored revs."""

    def __init__(self):
        self.rev = -1
        self.text = ""
        self.deltas: OrderedDict = OrderedDict()
        self.steps: OrderedDict = OrderedDict()  # rev -> diffs from the text at rev - 1
        self.chains: OrderedDict = OrderedDict()  # from rev -> (diffs to the text at rev, rev)
        self.lock = threading.RLock()

    def remember(self, key, delta: str) -> None:
        self.deltas[key] = delta
        if len(self.deltas) > DELTA_CACHE_SIZE:
            self.deltas.popitem(last=False)

    def remember_step(self, rev: int, diffs: list) -> None:
        self.steps[rev] = diffs
        while len(self.steps) > STEP_CACHE_SIZE:
            self.steps.popitem(last=False)

    def chain(self, from_rev: int, to_rev: int) -> list | None:
        """The diff from the text at from_rev to the text at to_rev, composed from known steps.

        Composed chains are kept a while: clients based on the same rev extend the same chain.
        """
        if to_rev - from_rev > STEP_CACHE_SIZE or from_rev >= to_rev:
            return None
        diffs, start = self.chains.get(from_rev, (None, from_rev))
        if start > to_rev:
            diffs, start = None, from_rev
        for rev in range(start + 1, to_rev + 1):
            step = self.steps.get(rev)
            if step is None:
                return None
            diffs = step if diffs is None else compose(diffs, step)
        self.chains[from_rev] = (diffs, to_rev)
        self.chains.move_to_end(from_rev)
        while len(self.chains) > CHAIN_CACHE_SIZE:
            self.chains.popitem(last=False)
        return diffs


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
        clock=time.monotonic,
    ):
        self.store = store
        self.differ = Differ(diff_timeout)
        self.max_text = max_text
        self.max_delta = max_delta
        self.state_ttl = state_ttl
        self.clock = clock
        self.states: dict[str, ClientState] = {}
        self.channels: dict[object, _ChannelCache] = {}
        self.stats: Counter = Counter()
        self._lock = threading.Lock()

    # -- bookkeeping

    def _cache(self, channel) -> _ChannelCache:
        with self._lock:
            cache = self.channels.get(channel)
            if cache is None:
                cache = self.channels[channel] = _ChannelCache()
            return cache

    def _current(
        self, channel, cache: _ChannelCache, rev_hint: int | None = None
    ) -> tuple[str, int]:
        """The stored text and rev, re-read only when another writer moved the rev.

        `rev_hint`: the stored rev the caller read just before (with its permission check);
        the cache, when it is at least that new, is current enough (a compare-and-swap
        catches anything newer).
        """
        if rev_hint is not None and cache.rev >= rev_hint:
            return cache.text, cache.rev
        rev = self.store.rev(channel)
        if rev != cache.rev:
            cache.text, cache.rev = self.store.load(channel)
        return cache.text, cache.rev

    def expire(self) -> int:
        """Forget detached clients older than the TTL; returns how many."""
        now = self.clock()
        with self._lock:
            old = [
                cid
                for cid, s in self.states.items()
                if now - s.last_seen
                > (self.state_ttl if not s.attached else max(self.state_ttl, 3600))
            ]
            for cid in old:
                del self.states[cid]
        return len(old)

    def detach(self, client_id: str) -> None:
        """The client's connection closed: keep its state for a resume until the TTL passes."""
        state = self.states.get(client_id)
        if state is not None:
            state.attached = False
            state.last_seen = self.clock()

    def leave(self, client_id: str) -> None:
        with self._lock:
            self.states.pop(client_id, None)

    def drop(self, client_id: str) -> None:
        self.leave(client_id)

    # -- protocol

    def join(
        self, channel, *, user=None, mode: str = "edit", client_id: str | None = None
    ) -> JoinResult:
        """Resume a known client's state or start a fresh one from the current text."""
        self.expire()
        cache = self._cache(channel)
        state = self.states.get(client_id) if client_id else None
        with cache.lock:
            text, rev = self._current(channel, cache)
            if state is not None and state.channel == channel and state.user == user:
                with state.lock:
                    state.mode, state.attached, state.last_seen = mode, True, self.clock()
                    self.stats["resumes"] += 1
                    return JoinResult(
                        state.client_id, state.shadow, rev, state.shadow_n, state.shadow_m, True
                    )
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
            )
            with self._lock:
                self.states[state.client_id] = state
            self.stats["joins"] += 1
            return JoinResult(state.client_id, text, rev, 0, 0, False)

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
        """Steps 1-7 of COEDIT.md's `sync`; client state changes only once the text is stored."""
        state = self.states.get(client_id)
        if state is None or state.channel != channel:
            raise self._desync(
                None, "No state for this client here (expired or server restarted): join again."
            )
        if edits and state.mode != "edit":
            raise SyncError("forbidden", "A follower cannot send edits.")
        cache = self._cache(channel)
        with state.lock, cache.lock:
            self.stats["syncs"] += 1
            state.last_seen = self.clock()
            # 1. acknowledged server edits leave the outbox
            outbox = [e for e in state.outbox if e["m"] >= m]
            shadow, shadow_m, shadow_rev = state.shadow, state.shadow_m, state.shadow_rev
            # 2. the client's m is not our shadow's: it missed our last answer, or this is a
            # duplicate of a request already answered. With new edits (computed against the
            # shadow it had before our answer) the backup shadow is restored, as in Fraser's
            # paper; without, the outbox still holds exactly the edits it lacks, so the state
            # is kept and they are sent again (a duplicate cannot then desynchronize the shadow).
            resent = False
            if m != shadow_m:
                fresh = any(edit["n"] >= state.shadow_n for edit in edits)
                if fresh and m == state.backup_m:
                    shadow, shadow_m, shadow_rev, outbox = (
                        state.backup,
                        state.backup_m,
                        state.backup_rev,
                        [],
                    )
                    self.stats["backup_restores"] += 1
                elif not fresh and outbox and outbox[0]["m"] == m:
                    resent = True
                    self.stats["resent_outbox"] += 1
                else:
                    raise self._desync(
                        state if fresh else None,
                        f"Server edit {m} does not match the shadow ({shadow_m}).",
                    )
            # 3. the client's edits, in order, exactly onto the shadow
            shadow_n = state.shadow_n
            patches = []
            base_rev, base_text = shadow_rev, shadow
            own = None  # the client's edits as one exact diff from the text at base_rev
            for edit in edits:
                n, delta = edit["n"], edit["delta"]
                if n < shadow_n:
                    self.stats["duplicate_edits"] += 1
                    continue
                if n > shadow_n:
                    raise self._desync(state, f"Client edit {n} arrived before edit {shadow_n}.")
                if len(delta) > self.max_delta:
                    raise SyncError(
                        "too_large", f"A delta has at most {self.max_delta} characters."
                    )
                try:
                    diffs, new_shadow = from_delta(shadow, delta)
                except BadDelta as error:
                    raise SyncError("bad_request", f"Undecodable delta: {error}") from error
                except DeltaMismatch as error:
                    raise self._desync(
                        state, f"The delta does not fit the shadow: {error}"
                    ) from error
                if len(new_shadow) > self.max_text:
                    raise SyncError(
                        "too_large", f"A live text has at most {self.max_text} characters."
                    )
                if new_shadow != shadow:
                    patches.append((shadow, diffs))  # made into patches only for the fallback
                    if base_rev is not None:
                        own = diffs if own is None else compose(own, diffs)
                    shadow, shadow_rev = new_shadow, None
                shadow_n += 1
            # 5. patches fuzzily onto the stored text, stored (compare-and-swap) before going on
            text, rev = self._current(channel, cache, rev_hint)
            changed, answer = False, None
            if patches:
                text, rev, changed, answer = self._apply_and_store(
                    channel, cache, text, rev, patches, author, base_rev, base_text, own
                )
            # 4. the backup is the shadow with the client's edits in it
            if resent:
                backup, backup_m, backup_rev = state.backup, state.backup_m, state.backup_rev
            else:
                backup, backup_m, backup_rev = shadow, shadow_m, shadow_rev
            # 6. what the client lacks, as one more server edit
            if shadow_rev != rev and shadow != text:
                if answer is not None and _ends(answer) == (shadow, text):
                    self.stats["rebased_answers"] += 1
                    delta = to_delta(answer)
                else:
                    delta = self._delta(cache, shadow, shadow_rev, text, rev, base_rev, own)
                outbox.append({"m": shadow_m, "delta": delta})
                shadow, shadow_m = text, shadow_m + 1
            shadow_rev = rev
            if len(outbox) > MAX_OUTBOX:
                raise self._desync(state, "Too many unacknowledged server edits.")
            state.shadow, state.shadow_n, state.shadow_m, state.shadow_rev = (
                shadow,
                shadow_n,
                shadow_m,
                shadow_rev,
            )
            state.backup, state.backup_m, state.backup_rev = backup, backup_m, backup_rev
            state.outbox = outbox
            # 7.
            return SyncResult(n=shadow_n, edits=list(outbox), rev=rev, changed=changed)

    # -- helpers

    def _desync(self, state: ClientState | None, message: str) -> SyncError:
        self.stats["desyncs"] += 1
        if state is not None:
            self.drop(state.client_id)
        log.info("desync: %s", message)
        return SyncError("desync", message)

    def _steps_from_store(
        self, channel, cache: _ChannelCache, base_rev: int, base_text: str, rev: int
    ) -> bool:
        """Fill the diffs between stored revs base_rev..rev from the store's edit log.

        Needed when another process stored some of them (or they left the cache): each logged
        delta decodes exactly against the text before it, starting from the client's base text.
        """
        fetch = getattr(self.store, "deltas", None)
        if fetch is None or rev - base_rev > STEP_CACHE_SIZE:
            return False
        entries = fetch(channel, base_rev, rev)
        if [r for r, _ in entries] != list(range(base_rev + 1, rev + 1)):
            return False
        text = base_text
        for r, delta in entries:
            try:
                diffs, text = from_delta(text, delta)
            except ValueError:
                return False
            cache.remember_step(r, diffs)
        self.stats["steps_from_log"] += len(entries)
        return True

    def _since(
        self, channel, cache: _ChannelCache, base_rev: int, base_text: str, text: str, rev: int
    ) -> list | None:
        """The exact diff from the text at base_rev (base_text) to the stored text at rev."""
        if base_rev == rev:
            if base_text != text:
                return None
            return [(EQUAL, base_text)] if base_text else []
        try:
            diffs = cache.chain(base_rev, rev)
            if diffs is None and self._steps_from_store(channel, cache, base_rev, base_text, rev):
                diffs = cache.chain(base_rev, rev)
        except ValueError:
            diffs = None
        if diffs is None or _ends(diffs) != (base_text, text):
            return None
        return diffs

    def _apply_and_store(
        self, channel, cache, text, rev, patches, author, base_rev=None, base_text="", own=None
    ):
        """Carry the client's edits onto the stored text and store it (compare-and-swap).

        Exact when the client's base is a known stored rev: its diff is rebased through the
        stored diffs since that rev. Otherwise (a restored backup shadow) its patches are applied
        fuzzily, and that fallback is counted and logged. Returns (text, rev, changed, answer):
        `answer`, when known, is the exact diff from the client's new shadow to the stored text.
        """
        for _attempt in range(CAS_ATTEMPTS):
            answer = None
            since = None
            if own is not None and base_rev is not None:
                since = self._since(channel, cache, base_rev, base_text, text, rev)
            if since is not None:
                diffs = rebase(own, since)
                new_text = _ends(diffs)[1]
                answer = rebase(since, own, mine_earlier=True)
                self.stats["rebased_edits"] += 1
                failed = 0
            else:
                new_text, failed = text, 0
                for before, edit_diffs in patches:
                    patch = self.differ.patch_make(before, edit_diffs)
                    new_text, results = self.differ.patch_apply(patch, new_text)
                    failed += results.count(False)
                self.stats["fuzzy_fallbacks"] += 1
                log.info(
                    "fuzzy patch fallback on channel %s (base rev %s unknown; %d so far)",
                    channel,
                    base_rev,
                    self.stats["fuzzy_fallbacks"],
                )
                diffs = None
            if len(new_text) > self.max_text:
                raise SyncError("too_large", f"A live text has at most {self.max_text} characters.")
            if new_text == text:
                self._count_failed(failed, channel)
                return text, rev, False, answer
            if diffs is None:
                diffs = self.differ.diff(text, new_text)
            delta = to_delta(diffs)
            if self.store.save(channel, rev, new_text, author=author, delta=delta):
                self._count_failed(failed, channel)
                self.stats["stored_revs"] += 1
                cache.text, cache.rev = new_text, rev + 1
                cache.remember((rev, rev + 1), delta)
                cache.remember_step(rev + 1, diffs)
                return new_text, rev + 1, True, answer
            self.stats["cas_retries"] += 1
            text, rev = self.store.load(channel)
            cache.text, cache.rev = text, rev
        raise SyncError("desync", "The text is changing too fast to store this edit; join again.")

    def _count_failed(self, failed: int, channel) -> None:
        if failed:
            self.stats["failed_hunks"] += failed
            log.warning(
                "%d patch hunk(s) failed to apply on channel %s (%d so far)",
                failed,
                channel,
                self.stats["failed_hunks"],
            )

    def _delta(
        self,
        cache: _ChannelCache,
        shadow: str,
        shadow_rev,
        text: str,
        rev: int,
        base_rev=None,
        own=None,
    ) -> str:
        """The delta from the client's shadow to the stored text at rev.

        Computed once per pair of revs and shared; composed from the diffs between consecutive
        stored revs when they are known (a client whose shadow holds its own new edits gets them
        undone and the stored changes since its base rev redone, merged), diffed otherwise.
        """
        key = (shadow_rev, rev) if shadow_rev is not None else None
        if key is not None and key in cache.deltas:
            self.stats["delta_cache_hits"] += 1
            return cache.deltas[key]
        self.stats["delta_cache_misses"] += 1
        diffs = None
        start = shadow_rev if shadow_rev is not None else base_rev
        if start is not None and (shadow_rev is not None or own is not None):
            try:
                chained = cache.chain(start, rev)
                if chained is not None:
                    diffs = (
                        list(chained) if shadow_rev is not None else compose(invert(own), chained)
                    )
                    self.differ.diff_cleanupMerge(diffs)
                    if _ends(diffs) != (shadow, text):
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
            cache.remember(key, delta)
        return delta

    @property
    def diff_timeouts(self) -> int:
        return self.differ.timeouts
