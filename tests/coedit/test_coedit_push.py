"""Push mode (docs/coedit-protocol.md): the engine and the Python client core over a wire that
reorders, loses and crosses messages; old and new clients mixed on one document.

After quiet, every client's text, the followers' and the stored text are equal, and every
marker typed (so every acknowledged edit) is in it exactly once.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.coedit.engine import MemoryStore, SyncEngine, SyncError
from tests.support.coedit_client import SyncClient

CHANNEL = "doc/en"
INITIAL = "# Title 😀\n\nFirst paragraph.\n\nSecond paragraph 👩‍👩‍👧 end."


@dataclass
class Peer:
    core: SyncClient
    push: bool
    session: int = 0
    in_flight: bool = False
    inbox: list = field(default_factory=list)  # (kind, session, message) on the wire to it
    acked: set = field(default_factory=set)
    told: int = -1  # the newest rev a `changed` told this push follower of


class Wire:
    """An engine over a MemoryStore, editors and followers, and the messages between them."""

    def __init__(self, editors: list[bool], followers: list[bool]):
        self.store = MemoryStore({CHANNEL: INITIAL})
        self.engine = SyncEngine(self.store, diff_timeout=0.2)
        self.editors = [Peer(SyncClient("doc", "en", push=p), p) for p in editors]
        self.followers = [Peer(SyncClient("doc", "en", "follow", push=p), p) for p in followers]
        self.requests: list = []  # (peer, session, client_id, payload)
        self.typed: set[str] = set()
        # markers are single characters, so that no diff can split one
        self.markers = (chr(0x4E00 + i) for i in itertools.count())
        self.carried: dict = {}  # (peer index, n) -> markers in that edit
        self.base: tuple[int, str] | None = None  # the followers' revs window start
        self.announced = -1  # the rev of the last `changed` sent
        for peer in self.editors + self.followers:
            self.join(peer)

    def join(self, peer: Peer) -> None:
        core = peer.core
        payload = core.join_payload()
        r = self.engine.join(
            CHANNEL,
            user=id(peer),
            mode=core.mode,
            client_id=payload.get("client_id"),
            push=payload.get("push", False),
        )
        ack = {"ok": True, "client_id": r.client_id, "text": r.text, "rev": r.rev}
        ack.update(n=r.n, m=r.m, peers=[], **({"push": True} if peer.push else {}))
        core.on_join(ack)
        peer.session += 1
        peer.in_flight = False
        peer.inbox.clear()
        if peer.push and core.mode == "follow" and self.base is None:
            self.base = (r.rev, r.text)

    # -- editors

    def type(self, i: int, where: float) -> None:
        core = self.editors[i].core
        marker = next(self.markers)
        self.typed.add(marker)
        at = int(where * len(core.text))
        core.edit(core.text[:at] + marker + core.text[at:])

    def send(self, i: int) -> None:
        peer = self.editors[i]
        if peer.in_flight:
            return
        peer.in_flight = True
        self.requests.append((peer, peer.session, peer.core.client_id, peer.core.sync_payload()))

    def serve(self, k: int) -> None:
        if not self.requests:
            return
        # a request is bound to the client state of the connection it was sent on
        peer, session, client_id, payload = self.requests.pop(k % len(self.requests))
        try:
            r = self.engine.sync(client_id, CHANNEL, payload["m"], payload["edits"])
            ack = {"ok": True, "n": r.n, "edits": r.edits, "rev": r.rev}
        except SyncError as error:
            ack = {"ok": False, "error": {"code": error.code, "message": error.message}}
        peer.inbox.append(("answer", session, ack))

    def push(self) -> None:
        """The end of a room window: `changed`, edits to push editors, one revs for push followers.

        `changed` is modelled for push followers only (the others sync anyway here): it is what
        tells a follower whose `revs` went missing that it is behind.
        """
        _text, stored = self.store.load(CHANNEL)
        if stored > self.announced:
            self.announced = stored
            for peer in self.followers:
                if peer.push:
                    peer.inbox.append(("changed", peer.session, {"rev": stored}))
        ids = {p.core.client_id: p for p in self.editors if p.push}
        pushed, busy = self.engine.push(list(ids), CHANNEL)
        assert not busy  # nothing runs concurrently here
        for client_id, result in pushed.items():
            peer = ids[client_id]
            message = {"doc": "doc", "lang": "en", "rev": result.rev, "edits": result.edits}
            peer.inbox.append(("edits", peer.session, message))
        if self.base is not None:
            rev, text, delta = self.engine.revs(CHANNEL, *self.base)
            if rev > self.base[0]:
                message = {"from": self.base[0], "to": rev, "delta": delta}
                for peer in self.followers:
                    if peer.push:
                        peer.inbox.append(("revs", peer.session, message))
                self.base = (rev, text)

    def deliver(self, peer: Peer, k: int, lose: bool = False) -> None:
        if not peer.inbox:
            return
        kind, session, message = peer.inbox.pop(k % len(peer.inbox))
        if session != peer.session:
            return  # for an earlier connection: ignored
        if kind == "answer":
            peer.in_flight = False  # answered, or given up on (a timeout; never applied late)
        if lose:
            if kind == "changed":
                # an event vanishes from a Socket.IO connection only when it breaks (an answer
                # may time out): the client reconnects
                self.reconnect(peer)
            return
        core = peer.core
        if kind == "changed":
            if message["rev"] > core.rev:
                peer.told = max(peer.told, message["rev"])
        elif kind == "answer":
            if not core.on_sync(message):
                self.join(peer)
        elif kind == "edits":
            if core.on_push(message, in_flight=peer.in_flight) == "rejoin":
                self.join(peer)
        elif not core.on_revs(message):
            self.join(peer)

    def grace(self) -> None:
        """The grace period after `changed` ran out: a push follower that no `revs` brought to
        the rev it was told of rejoins (the clients' rule for push followers)."""
        for peer in self.followers:
            if peer.push and peer.core.rev < peer.told:
                self.join(peer)

    def reconnect(self, peer: Peer) -> None:
        """The connection dropped: whatever was on the wire to it is lost; it resumes."""
        self.join(peer)

    def follow(self, i: int) -> None:
        """An old follower syncs (no edits)."""
        peer = self.followers[i]
        if peer.push or peer.in_flight:
            return
        peer.in_flight = True
        self.requests.append((peer, peer.session, peer.core.client_id, peer.core.sync_payload()))

    # -- quiet

    def settle(self) -> None:
        for _round in range(30):
            for peer in self.editors + self.followers:
                while peer.inbox:
                    self.deliver(peer, 0)
            while self.requests:
                self.serve(0)
                for peer in self.editors + self.followers:
                    while peer.inbox:
                        self.deliver(peer, 0)
            self.push()
            for peer in self.editors + self.followers:
                while peer.inbox:
                    self.deliver(peer, 0)
            self.grace()
            for peer in self.editors:
                self.send(self.editors.index(peer))
            for i, peer in enumerate(self.followers):
                self.follow(i)
            while self.requests:
                self.serve(0)
            for peer in self.editors + self.followers:
                while peer.inbox:
                    self.deliver(peer, 0)
            text, _rev = self.store.load(CHANNEL)
            if all(p.core.text == text for p in self.editors + self.followers) and all(
                p.core.text == p.core.shadow and not p.core.outbox for p in self.editors
            ):
                return


TYPE = st.tuples(st.just("type"), st.integers(0, 7), st.floats(0, 1))
SEND = st.tuples(st.just("send"), st.integers(0, 7), st.just(0))
SERVE = st.tuples(st.just("serve"), st.integers(0, 7), st.just(0))
PUSH = st.tuples(st.just("push"), st.just(0), st.just(0))
DELIVER = st.tuples(st.just("deliver"), st.integers(0, 11), st.integers(0, 5))
ACTIONS = st.one_of(
    TYPE,
    TYPE,
    SEND,
    SEND,
    SERVE,
    PUSH,
    DELIVER,
    DELIVER,
    DELIVER,
    st.tuples(st.just("lose"), st.integers(0, 11), st.integers(0, 5)),
    st.tuples(st.just("reconnect"), st.integers(0, 11), st.just(0)),
    st.tuples(st.just("follow"), st.integers(0, 3), st.just(0)),
)
STEPS = st.lists(ACTIONS, min_size=20, max_size=120)


def run(wire: Wire, actions) -> None:
    everyone = wire.editors + wire.followers
    for action, i, x in actions:
        if action == "type":
            wire.type(i % len(wire.editors), x)
        elif action == "send":
            wire.send(i % len(wire.editors))
        elif action == "serve":
            wire.serve(i)
        elif action == "push":
            wire.push()
        elif action == "deliver":
            wire.deliver(everyone[i % len(everyone)], x)
        elif action == "lose":
            wire.deliver(everyone[i % len(everyone)], x, lose=True)
        elif action == "reconnect":
            wire.reconnect(everyone[i % len(everyone)])
        elif action == "follow" and wire.followers:
            wire.follow(i % len(wire.followers))
    wire.settle()
    text, _rev = wire.store.load(CHANNEL)
    for peer in everyone:
        assert peer.core.text == text
    for marker in wire.typed:
        assert text.count(marker) == 1, (marker, text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    editors=st.lists(st.booleans(), min_size=1, max_size=4),
    followers=st.lists(st.booleans(), min_size=0, max_size=3),
    actions=STEPS,
)
@example(  # a push follower loses the last window's `revs`: `changed` makes it rejoin
    editors=[False],
    followers=[True],
    actions=[("type", 0, 0.0)] * 5
    + [("send", 0, 0)] * 8
    + [("serve", 0, 0), ("push", 0, 0)]
    + [("send", 0, 0)] * 4
    + [("lose", 1, 0)],
)
@example(  # a lost answer, then edits on the restored backup: patched fuzzily, one was lost
    editors=[False] * 4,
    followers=[],
    actions=[("type", 0, 0.0), ("type", 2, 0.0), ("type", 2, 0.0), ("type", 1, 0.0)]
    + [("send", 0, 0)] * 6
    + [("send", 2, 0), ("serve", 0, 0), ("serve", 0, 0)]
    + [("type", 0, 0.0)] * 4
    + [("type", 1, 0.0), ("type", 2, 0.0), ("lose", 2, 0)],
)
def test_push_old_and_new_clients_converge_and_lose_nothing(editors, followers, actions):
    run(Wire(editors, followers), actions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=STEPS)
def test_push_editors_only_with_crossings(actions):
    run(Wire([True, True, True], [True]), actions)


def test_a_sync_crossing_a_push_is_decoded_against_the_kept_shadow():
    wire = Wire([True, True], [])
    a, b = wire.editors
    wire.type(0, 0.0)
    wire.send(0)
    wire.serve(0)
    wire.deliver(a, 0)
    wire.push()  # b gets a's marker pushed...
    assert b.inbox and b.inbox[0][0] == "edits"
    wire.type(1, 1.0)
    wire.send(1)  # ...but its sync (m names the shadow before the push) crosses it
    wire.serve(0)
    assert wire.engine.stats["push_crossings"] == 1
    assert wire.engine.stats["desyncs"] == 0
    wire.deliver(b, 0)  # the push: ignored (a sync is in flight)
    wire.deliver(b, 0)  # the answer carries the same change
    text, _ = wire.store.load(CHANNEL)
    assert b.core.text == text and "\u4e00" in text and "\u4e01" in text


def test_a_follower_that_missed_a_window_rejoins():
    wire = Wire([True], [True, True])
    first, second = wire.followers
    for _ in range(2):
        wire.type(0, 0.5)
        wire.send(0)
        wire.serve(0)
        wire.deliver(wire.editors[0], 0)
        wire.push()
    assert [kind for kind, _s, _m in second.inbox] == ["changed", "revs"] * 2
    while first.inbox:
        wire.deliver(first, 0)
    wire.deliver(second, 0)  # changed
    wire.deliver(second, 0, lose=True)  # its revs
    wire.deliver(second, 0)  # changed
    before = second.core.client_id
    wire.deliver(second, 0)  # from != its rev: it rejoins
    text, rev = wire.store.load(CHANNEL)
    assert first.core.text == second.core.text == text
    assert second.core.client_id != before and second.core.rev == rev


def test_a_follower_that_missed_the_last_window_rejoins_after_changed():
    wire = Wire([False], [True])
    (follower,) = wire.followers
    wire.type(0, 0.0)
    wire.send(0)
    wire.serve(0)
    wire.push()
    wire.deliver(follower, 0)  # changed
    wire.deliver(follower, 0, lose=True)  # the only revs
    text, rev = wire.store.load(CHANNEL)
    assert follower.core.rev < rev and follower.told == rev
    wire.grace()
    assert follower.core.text == text and follower.core.rev == rev
