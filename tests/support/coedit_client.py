"""Differential synchronization, client side: the same algorithm as the browser editor.

`SyncClient` is the transport-agnostic core (text, shadow, n, m, outbox; desync -> rejoin and
re-apply the unacknowledged local changes). `SocketClient` drives it over python-socketio for
tests, the load benchmark and scripts:

    client = SocketClient("http://127.0.0.1:5000", "best-practice", "en", token="agora_...")
    client.connect()
    client.edit(client.text + "\\nMore text.")
    client.sync()
    client.close()
"""

from __future__ import annotations

import logging
import random
import threading
import time

from diff_match_patch import diff_match_patch

from app.coedit.engine import (
    DeltaMismatch,
    compose,
    ends,
    from_delta,
    rebase,
    to_delta,
    whole_change,
)

log = logging.getLogger(__name__)

NAMESPACE = "/coedit"
PUSH_ACK_DELAY = 1.0  # seconds: applied pushes are acknowledged by an empty sync within 2 s
PUSH_GRACE = 0.5  # seconds a push editor waits for a push after `changed` before it syncs


def _same(text: str) -> list:
    return [(diff_match_patch.DIFF_EQUAL, text)] if text else []


def _result(diffs: list) -> str:
    return "".join(data for op, data in diffs if op != diff_match_patch.DIFF_DELETE)


class SyncRefused(Exception):
    """The server answered an event with an error other than desync."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class SyncClient:
    """One client's view of one live text, independent of the transport."""

    def __init__(
        self,
        doc: str,
        lang: str,
        mode: str = "edit",
        diff_timeout: float = 1.0,
        *,
        push: bool = True,
    ):
        self.doc, self.lang, self.mode = doc, lang, mode
        self.push = push  # ask for push mode (docs/coedit-protocol.md "Push mode")
        self.pushing = False  # the server agreed
        self.dmp = diff_match_patch()
        self.dmp.Diff_Timeout = diff_timeout
        self.text = ""
        self.shadow = ""
        self.base = ""  # the shadow as of the last acknowledgement: what the server surely has
        self.n = 0
        self.m = 0
        self.outbox: list[dict] = []
        self.local: list | None = None  # exact diff shadow -> text, when known
        self.sent: list | None = []  # exact diff base -> shadow (our edits in the outbox)
        # per outbox edit n: (the shadow after it, its exact diff), to rebuild after a rejoin the
        # shadow holding exactly the edits the server says reached the text
        self.staged: dict[int, tuple[str, list]] = {}
        self.client_id: str | None = None
        self.rev = -1
        self.joined = False
        self.needs_rejoin = False
        self.peers: list = []
        self.desyncs = 0
        # Optional observer of applied server edits: on_remote(diffs, new_shadow) (the benchmark
        # uses it to see when other clients' typing arrives without rescanning the whole text).
        self.on_remote = None

    # -- join

    def join_payload(self) -> dict:
        payload = {"doc": self.doc, "lang": self.lang, "mode": self.mode}
        if self.push:
            payload["push"] = True
        follower_push = self.push and self.mode != "edit"  # it keeps no state on the server
        if self.client_id and not self.needs_rejoin and not follower_push:
            payload["client_id"] = self.client_id
        return payload

    def on_join(self, ack: dict) -> None:
        """Take the join answer: resume, first join, or a fresh start that keeps local typing."""
        self._check(ack)
        self.peers = ack.get("peers", [])
        resumed = self.joined and not self.needs_rejoin and ack["client_id"] == self.client_id
        if not resumed:
            fresh = ack["text"]
            text = fresh
            local = None
            if self.joined:
                # what the fresh text holds of ours: exactly the edits numbered below `applied`
                # when the server says (our state was gone); else those acknowledged (an old
                # server, or a rejoin without our client_id)
                applied = ack.get("applied")
                if isinstance(applied, int) and not isinstance(applied, bool):
                    old, local = self._applied_base(applied)
                else:
                    old, local = self.base, self._unacknowledged()
                if self.text != old:
                    # the changes not in it (sent and not), carried onto the fresh text; the
                    # server's changes since `old` are known only as a diff of the two texts
                    theirs = whole_change(self.dmp.diff_main(old, fresh, True))
                    local = self._carry(theirs, old, local)
                    text = _result(local)
                else:
                    local = None
            self.shadow = self.base = fresh
            self.sent = _same(fresh)
            self.text, self.local = text, local
            self.n, self.m, self.outbox, self.staged = ack["n"], ack["m"], [], {}
        self.client_id = ack["client_id"]
        self.rev = ack["rev"]
        self.joined, self.needs_rejoin = True, False
        self.pushing = ack.get("push") is True

    # -- sync

    def edit(self, text: str) -> None:
        """The user changed the text.

        The change is also composed into the exact diff from the shadow to the text, so that a
        keystroke travels as the insertion it was (a diff of the two whole texts may split it
        around a character it merely repeats) and stays whole when concurrent edits arrive.
        """
        if text == self.text:
            return
        try:
            if self.text == self.shadow:
                start = [(diff_match_patch.DIFF_EQUAL, self.text)] if self.text else []
            else:
                start = (
                    self.local
                    if self.local is not None
                    else self.dmp.diff_main(self.shadow, self.text, True)
                )
            self.local = compose(start, self.dmp.diff_main(self.text, text, True))
        except ValueError:
            self.local = None
        self.text = text

    def sync_payload(self) -> dict:
        """Move local changes into the outbox and return the `sync` event to send."""
        if self.text != self.shadow and self.mode == "edit":
            diffs = self.local
            if diffs is None or ends(diffs) != (self.shadow, self.text):
                diffs = self.dmp.diff_main(self.shadow, self.text, True)
            self.outbox.append({"n": self.n, "delta": to_delta(diffs)})
            self.staged[self.n] = (self.text, diffs)
            self.n += 1
            if self.sent is not None:
                self.sent = compose(self.sent, diffs)
            self.shadow, self.local = self.text, None
        return {"doc": self.doc, "lang": self.lang, "m": self.m, "edits": list(self.outbox)}

    def on_sync(self, ack: dict) -> bool:
        """Apply a sync answer; False when the client must rejoin (desync)."""
        if not ack or ack.get("ok") is not True:
            error = (ack or {}).get("error") or {}
            if error.get("code") == "desync":
                self.needs_rejoin = True
                self.desyncs += 1
                return False
            raise SyncRefused(error.get("code", "bad_request"), error.get("message", "no answer"))
        self.outbox = [e for e in self.outbox if e["n"] >= ack["n"]]
        self.staged = {n: step for n, step in self.staged.items() if n >= ack["n"]}
        if not self._apply_edits(ack["edits"]):
            return False
        self.rev = max(self.rev, ack["rev"])
        return True

    def on_push(self, data: dict, in_flight: bool = False) -> str:
        """A pushed `edits {doc, lang, rev, edits}`: "applied", "ignored" or "rejoin".

        Applied only with no sync in flight, nothing staged and a rev newer than the last
        answer or push applied; an ignored push means: sync as soon as you may (its answer
        carries the same changes).
        """
        if (
            in_flight
            or self.outbox
            or not self.joined
            or not isinstance(data.get("rev"), int)
            or not isinstance(data.get("edits"), list)
        ):
            return "ignored"
        if data["rev"] <= self.rev:
            return "ignored"
        if not self._apply_edits(data["edits"]):
            return "rejoin"
        self.rev = data["rev"]
        return "applied"

    def on_revs(self, data: dict) -> bool:
        """A followers' `revs {from, to, delta}`; False when this follower must rejoin."""
        start, end, delta = data.get("from"), data.get("to"), data.get("delta")
        if not self.joined or not isinstance(end, int):
            return True
        if end <= self.rev:
            return True  # a window this follower is already past
        if start != self.rev or not isinstance(delta, str):
            self.needs_rejoin = True
            return False
        try:
            diffs, new_text = from_delta(self.shadow, delta)
        except ValueError:
            self.needs_rejoin = True
            return False
        self.text = self.shadow = self.base = new_text
        self.local, self.sent = None, _same(new_text)
        self.rev = end
        if self.on_remote is not None:
            self.on_remote(diffs, new_text)
        return True

    def _apply_edits(self, edits: list) -> bool:
        """Server edits with m >= ours, in order, exactly onto the shadow and carried to the text."""
        for edit in sorted(edits, key=lambda e: e["m"]):
            if edit["m"] < self.m:
                continue
            if edit["m"] > self.m:
                self.needs_rejoin = True
                return False
            try:
                diffs, new_shadow = from_delta(self.shadow, edit["delta"])
            except (DeltaMismatch, ValueError):
                self.needs_rejoin = True
                return False
            if self.outbox:
                self.sent = None  # base -> shadow is no longer only our own edits
            if self.text == self.shadow:
                self.text, self.local = new_shadow, None
            else:
                self.local = self._carry(diffs, self.shadow, self.local)
                self.text = _result(self.local)
            self.shadow = new_shadow
            self.m += 1
            if self.on_remote is not None:
                self.on_remote(diffs, new_shadow)
        if not self.outbox:
            self.base, self.sent = self.shadow, _same(self.shadow)
        return True

    def _unacknowledged(self) -> list | None:
        """The exact diff from base to text (edits sent and unsent), when known."""
        if self.sent is None or ends(self.sent)[1] != self.shadow:
            return None
        local = self.local if self.local is not None else _same(self.text)
        if self.text != self.shadow and self.local is None:
            return None
        try:
            return compose(self.sent, local)
        except ValueError:
            return None

    def _applied_base(self, applied: int) -> tuple[str, list | None]:
        """The shadow holding exactly our outbox edits numbered below `applied`, and the exact
        diff from it to the text (the rest of the outbox, then the unsent typing), when known."""
        old, rest = self.base, []
        for edit in self.outbox:
            after, diffs = self.staged.get(edit["n"], (None, None))
            if after is None:
                return old, None  # not kept: the diff of the texts finds the rest
            if edit["n"] < applied:
                old, rest = after, []
            else:
                rest.append(diffs)
        if self.text != self.shadow and self.local is None:
            return old, None
        local = _same(old)
        try:
            for diffs in [*rest, self.local if self.text != self.shadow else _same(self.text)]:
                local = compose(local, diffs)
        except ValueError:
            return old, None
        return old, local if ends(local) == (old, self.text) else None

    def _carry(self, diffs: list, old: str, local: list | None) -> list:
        """The local changes (old -> text) carried over a server change (`diffs`, old -> new).

        Rebased exactly, as the server does (concurrent insertions at one place never
        interleave); returns the diff from the new text to the local text. Fuzzy patching
        is the fallback when the local diff does not fit.
        """
        if local is None or ends(local)[0] != old:
            local = self.dmp.diff_main(old, self.text, True)
        try:
            return rebase(local, diffs)
        except ValueError:
            new = _result(diffs)
            text, _ = self.dmp.patch_apply(self.dmp.patch_make(old, diffs), self.text)
            return self.dmp.diff_main(new, text, True)

    @staticmethod
    def _check(ack) -> None:
        if not ack or ack.get("ok") is not True:
            error = (ack or {}).get("error") or {}
            raise SyncRefused(error.get("code", "bad_request"), error.get("message", "no answer"))


class SocketClient:
    """A SyncClient connected to a server over Socket.IO, syncing on `changed` in a worker thread."""

    def __init__(
        self,
        url: str,
        doc: str,
        lang: str,
        *,
        token: str | None = None,
        mode: str = "edit",
        timeout: float = 10.0,
        headers: dict | None = None,
        on_change=None,
        push: bool = True,
    ):
        import socketio

        self.url, self.token, self.timeout, self.headers = url, token, timeout, headers or {}
        self.core = SyncClient(doc, lang, mode, push=push)
        self.lock = threading.RLock()
        self._in_flight = threading.RLock()
        self.sio = socketio.Client(
            reconnection=True, reconnection_delay=0.2, reconnection_delay_max=2
        )
        self.on_change = on_change
        self.errors: list[Exception] = []
        self.sync_failures = 0  # sync round trips that timed out or met a closed connection
        self._wake = threading.Event()
        self._stop = False
        self._connected_once = False
        self._resume = False
        self._worker = threading.Thread(target=self._run, daemon=True)
        self._syncing = False  # a sync is in flight (pushes are then ignored)
        self._kick = False  # a sync is wanted now
        self._due: float | None = None  # when the worker must sync if still behind
        self._due_rev = -1  # ... behind this rev (a `changed` no push followed)
        self._acked_m = 0  # the m our last sync acknowledged
        self.pushes = {"applied": 0, "ignored": 0, "rejoin": 0}
        self._ignored_rev = -1  # the newest push ignored while a sync was in flight
        self.refusal: SyncRefused | None = None  # why the server refused the last connection
        self.sio.on("connect", self._on_connect, namespace=NAMESPACE)
        self.sio.on("connect_error", self._on_connect_error, namespace=NAMESPACE)
        self.sio.on("changed", self._on_changed, namespace=NAMESPACE)
        self.sio.on("presence", self._on_presence, namespace=NAMESPACE)
        self.sio.on("edits", self._on_edits, namespace=NAMESPACE)
        self.sio.on("revs", self._on_revs, namespace=NAMESPACE)

    @property
    def text(self) -> str:
        return self.core.text

    def connect(self) -> None:
        """Connect and join; a refused connection raises SyncRefused with the server's code."""
        import socketio

        auth = {"token": self.token} if self.token else None
        self.refusal = None
        try:
            self.sio.connect(
                self.url,
                namespaces=[NAMESPACE],
                auth=auth,
                transports=["websocket"],
                headers=self.headers,
                wait_timeout=self.timeout,
            )
        except socketio.exceptions.ConnectionError:
            if self.refusal is not None:
                raise self.refusal from None
            raise
        self.join()
        self._connected_once = True
        self._worker.start()

    def join(self) -> None:
        with self._in_flight:
            with self.lock:
                payload = self.core.join_payload()
            ack = self.sio.call("join", payload, namespace=NAMESPACE, timeout=self.timeout)
            with self.lock:
                self.core.on_join(ack)
                follower = self.core.pushing and self.core.mode != "edit"
        if not follower:  # a push follower never syncs
            self.sync()

    def edit(self, text: str) -> None:
        with self.lock:
            self.core.edit(text)
        self._wake.set()

    def insert(self, position: int, value: str) -> None:
        with self.lock:
            text = self.core.text
            position = max(0, min(position, len(text)))
            self.core.edit(text[:position] + value + text[position:])
        self._wake.set()

    def sync(self) -> bool:
        """One sync round trip (one at a time); rejoins on desync. True when an answer applied."""
        with self._in_flight:
            with self.lock:
                payload = self.core.sync_payload()
                self._syncing, self._acked_m = True, payload["m"]
            try:
                ack = self.sio.call("sync", payload, namespace=NAMESPACE, timeout=self.timeout)
            except Exception as error:  # timeout or disconnect: the outbox is resent next time
                self.sync_failures += 1
                log.info("sync failed: %s", error)
                with self.lock:
                    self._syncing = False
                return False
            with self.lock:
                self._syncing = False
                ignored, self._ignored_rev = self._ignored_rev, -1
                if self.core.on_sync(ack):
                    if ignored > self.core.rev:  # a push newer than this answer was ignored
                        self._kick = True
                        self._wake.set()
                    return True
                payload = self.core.join_payload()
            ack = self.sio.call("join", payload, namespace=NAMESPACE, timeout=self.timeout)
            with self.lock:
                self.core.on_join(ack)
                payload = self.core.sync_payload()
            ack = self.sio.call("sync", payload, namespace=NAMESPACE, timeout=self.timeout)
            with self.lock:
                return self.core.on_sync(ack)

    def cursor(self, offset: int, end: int | None = None) -> None:
        self.sio.emit(
            "cursor",
            {
                "doc": self.core.doc,
                "lang": self.core.lang,
                "offset": offset,
                "end": offset if end is None else end,
            },
            namespace=NAMESPACE,
        )

    def wait_for(self, predicate, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate(self.core.text):
                    return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self._stop = True
        self._wake.set()
        try:
            if self.sio.connected:
                self.sio.call(
                    "leave",
                    {"doc": self.core.doc, "lang": self.core.lang},
                    namespace=NAMESPACE,
                    timeout=2,
                )
        except Exception:  # noqa: BLE001, S110 - leaving is best effort
            pass
        self.sio.disconnect()

    # -- socket callbacks (run in python-socketio's reader thread: never block there)

    def _on_connect_error(self, data=None) -> None:
        """CONNECT_ERROR {message, data: {code, message}}: remember the protocol's refusal."""
        detail = data.get("data") if isinstance(data, dict) else None
        if isinstance(detail, dict) and isinstance(detail.get("code"), str):
            self.refusal = SyncRefused(detail["code"], str(detail.get("message", "")))
            log.warning("connection refused: %s", self.refusal)

    def _on_connect(self) -> None:
        if self._connected_once:  # a reconnect: resume (or rejoin) from the worker thread
            self._resume = True
            self._wake.set()

    def _on_changed(self, data) -> None:
        rev = data.get("rev") if isinstance(data, dict) else None
        if isinstance(rev, int) and rev <= self.core.rev:
            return  # our own change, already in our last answer
        if self.core.pushing and self.core.mode == "edit" and isinstance(rev, int):
            # the push brings it; sync only if none did (a change stored by another process)
            self._later(PUSH_GRACE, rev)
            return
        if self.core.pushing and isinstance(rev, int):
            # a follower: the room's `revs` brings it; rejoin only if none did (another process
            # stored it). Spread over a second grace period, so that a process's followers do not
            # all rejoin at once: the first rejoin makes that process send `revs` to the others.
            self._later(PUSH_GRACE * (1 + random.random()), rev)
            return
        self._kick = True
        self._wake.set()

    def _later(self, delay: float, rev: int = -1) -> None:
        with self.lock:
            due = time.monotonic() + delay
            self._due = due if self._due is None else min(self._due, due)
            self._due_rev = max(self._due_rev, rev)
        self._wake.set()

    def _on_edits(self, data) -> None:
        if not isinstance(data, dict):
            return
        with self.lock:
            outcome = self.core.on_push(data, in_flight=self._syncing)
            self.pushes[outcome] += 1
            acknowledge = outcome == "applied" and self.core.m != self._acked_m
        if outcome == "applied":
            if self.on_change:
                self.on_change(self)
            if acknowledge:
                self._later(PUSH_ACK_DELAY)
        else:
            if outcome == "rejoin":
                self._resume = True
            elif self._syncing and isinstance(data.get("rev"), int):
                # the answer on its way carries it, unless the push is newer (see sync())
                with self.lock:
                    self._ignored_rev = max(self._ignored_rev, data["rev"])
                return
            self._kick = True
            self._wake.set()

    def _on_revs(self, data) -> None:
        if not isinstance(data, dict):
            return
        with self.lock:
            ok = self.core.on_revs(data)
        if not ok:
            self._resume = True
            self._wake.set()
        elif self.on_change:
            self.on_change(self)

    def _due_now(self) -> bool:
        """The delayed sync is due: still behind a `changed`, or pushes to acknowledge."""
        with self.lock:
            if self._due is None or time.monotonic() < self._due:
                return False
            self._due = None
            behind = self.core.rev < self._due_rev
            return behind or self.core.m != self._acked_m

    def _on_presence(self, data) -> None:
        if isinstance(data, dict):
            self.core.peers = data.get("peers", [])

    def _run(self) -> None:
        while not self._stop:
            due = self._due
            timeout = 1.0 if due is None else max(0.0, min(1.0, due - time.monotonic()))
            self._wake.wait(timeout)
            self._wake.clear()
            if self._stop:
                return
            kicked, self._kick = self._kick, False
            due = self._due_now()
            with self.lock:
                pending = self.core.text != self.core.shadow or bool(self.core.outbox)
                pushed_follower = self.core.pushing and self.core.mode != "edit"
            if pushed_follower and due:
                self._resume = True  # `changed` and no `revs` brought us there: rejoin
            if pushed_follower and not self._resume:
                continue  # a push follower never syncs: rejoining is how it catches up
            if not (kicked or due or pending or self._resume):
                continue
            try:
                if self._resume:
                    self._resume = False
                    self.join()
                else:
                    self.sync()
                if self.on_change:
                    self.on_change(self)
            except Exception as error:  # noqa: BLE001 - keep the worker alive, record for callers
                self.errors.append(error)
                log.info("client worker: %s", error)
                time.sleep(0.1)
