"""The sync engine and the Python client core, driven directly through a simulated network."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.coedit.engine import (
    BadDelta,
    DeltaMismatch,
    MemoryStore,
    SyncEngine,
    SyncError,
    diff_main,
    from_delta,
    to_delta,
)
from tests.support.coedit_client import SyncClient

SAMPLES = ["😀", "é", "e\u0301", "שלום עולם", "مرحبا", "👩‍👩‍👧", "x", " word ", "\n\n", "漢字"]
INITIAL = "# Title 😀\n\nFirst paragraph with é and שלום.\n\nSecond paragraph 👩‍👩‍👧 end."
CHANNEL = "doc/en"
MARKER = re.compile(r"<\d\.\d+[^<>]*>")


class Net:
    """A server (engine over a MemoryStore) and clients talking through a faulty network."""

    def __init__(self, clients=3, text=INITIAL):
        self.store = MemoryStore({CHANNEL: text})
        self.engine = SyncEngine(self.store, diff_timeout=0.2)
        self.clients = [SyncClient("doc", "en") for _ in range(clients)]
        self.late: list = []
        self.acked: list[set] = [set() for _ in range(clients)]
        self.pending: list[list] = [[] for _ in range(clients)]  # markers typed, not yet in an edit
        self.in_edit: list[dict] = [{} for _ in range(clients)]  # n -> markers
        # Causality, for deletions: the operations (markers, deletion ids) each text reflects.
        self.ops_by: dict = {}  # (client_id, n) -> the operations that edit carries
        self.server_known: set = set()
        self.known: list[set] = [set() for _ in range(clients)]
        self.deletions: list[tuple] = []  # (deleter, its knowledge, markers it cut into)
        self.typed: list[tuple] = []  # (typist, its knowledge, marker)
        self.unsent: list[set] = [set() for _ in range(clients)]  # not yet in an edit
        self.authored: list[set] = [set() for _ in range(clients)]
        for i in range(clients):
            self.join(i)

    def join(self, i):
        c = self.clients[i]
        payload = c.join_payload()
        try:
            r = self.engine.join(CHANNEL, user=i, mode="edit", client_id=payload.get("client_id"))
            ack = {
                "ok": True,
                "client_id": r.client_id,
                "text": r.text,
                "rev": r.rev,
                "n": r.n,
                "m": r.m,
            }
        except SyncError as error:  # pragma: no cover - join never fails here
            raise AssertionError(error.message) from error
        fresh = ack["client_id"] != c.client_id or c.needs_rejoin
        c.on_join(ack)
        self.known[i] |= self.server_known  # the joined text (its own typing is kept on top)
        if fresh:  # the unacknowledged markers will travel in new edits
            for markers in self.in_edit[i].values():
                self.pending[i].extend(markers)
            self.in_edit[i] = {}
            # its text's unacknowledged changes are re-sent as a new edit
            self.unsent[i] |= self.authored[i] - self.server_known

    def serve(self, i, payload, client_id=None):
        c = self.clients[i]
        client_id = client_id or c.client_id
        try:
            r = self.engine.sync(client_id, CHANNEL, payload["m"], payload["edits"], author=i)
            for edit in payload["edits"]:
                if edit["n"] < r.n:  # applied, now or by an earlier copy of this request
                    self.server_known |= self.ops_by.get((client_id, edit["n"]), set())
            known = frozenset(self.server_known)
            return {"ok": True, "n": r.n, "edits": r.edits, "rev": r.rev, "known": known}
        except SyncError as error:
            return {"ok": False, "error": {"code": error.code, "message": error.message}}

    def payload(self, i):
        c = self.clients[i]
        before = c.n
        payload = c.sync_payload()
        if c.n > before:
            self.in_edit[i][before] = self.pending[i]
            self.pending[i] = []
            self.ops_by[(c.client_id, before)] = set(self.unsent[i])
            self.unsent[i] = set()
        return payload

    def receive(self, i, ack):
        c = self.clients[i]
        assert ack["ok"] or ack["error"]["code"] == "desync", ack
        if c.on_sync(ack):
            self.known[i] |= ack["known"]
            for n in [n for n in self.in_edit[i] if n < ack["n"]]:
                self.acked[i].update(self.in_edit[i].pop(n))
        else:
            self.join(i)

    def sync(self, i, fault="ok"):
        payload = self.payload(i)
        if fault == "drop_request":
            return
        if fault == "late":
            # a late request is bound to the client state of the connection it was sent on
            # (events.py takes the client_id from the connection's join, not from the request)
            self.late.append((i, self.clients[i].client_id, json.loads(json.dumps(payload))))
            return
        ack = self.serve(i, payload)
        if fault == "drop_answer":
            return
        if fault in ("dup_first", "dup_second"):
            second = self.serve(i, payload)
            ack = ack if fault == "dup_first" else second
        self.receive(i, ack)

    def deliver_late(self):
        if self.late:
            i, client_id, payload = self.late.pop(0)
            self.serve(
                i, payload, client_id
            )  # its answer arrives after the client gave up: ignored

    def note(self, i, op):
        """Client i made `op` (a marker typed, a deletion): its text reflects it from now on."""
        self.known[i].add(op)
        self.authored[i].add(op)
        self.unsent[i].add(op)

    def deleted_by_someone(self, typist, knew, marker) -> bool:
        """Was the marker inside a region someone deleted?

        Yes when a deletion cut into it in the deleter's text, or when a deletion by another
        client was concurrent with its typing (neither had seen the other), which may place it
        inside the deleted region. A marker that the deleter saw and did not cut into, or one
        typed after its typist saw the deletion, must survive it.
        """
        for deleter, saw, cut, deletion in self.deletions:
            if marker in cut:
                return True
            if deleter != typist and marker not in saw and deletion not in knew:
                return True
        return False

    def restart(self):
        self.engine = SyncEngine(self.store, diff_timeout=0.2)

    def quiet(self):
        """Everyone syncs without faults until nothing moves."""
        for _ in range(12):
            for i in range(len(self.clients)):
                self.sync(i)
            text = self.store.load(CHANNEL)[0]
            if all(c.text == text and c.shadow == text and not c.outbox for c in self.clients):
                return text
        raise AssertionError("no convergence")


def type_at(c: SyncClient, fraction: float, value: str) -> None:
    pos = int(fraction * len(c.text))
    if c.text.rfind("<", 0, pos) > c.text.rfind(">", 0, pos):  # never inside another marker
        end = c.text.find(">", pos)
        pos = end + 1 if end >= 0 else pos
    c.edit(c.text[:pos] + value + c.text[pos:])


def check_converged(net: Net) -> str:
    text = net.quiet()
    for c in net.clients:
        assert c.text == c.shadow == text
        state = net.engine.states[c.client_id]
        assert state.shadow == text
    return text


ACTIONS = st.one_of(
    st.tuples(st.just("type"), st.integers(0, 2), st.floats(0, 1), st.sampled_from(SAMPLES)),
    st.tuples(st.just("delete"), st.integers(0, 2), st.floats(0, 1), st.integers(1, 6)),
    st.tuples(
        st.just("sync"),
        st.integers(0, 2),
        st.sampled_from(
            ["ok", "ok", "ok", "drop_request", "drop_answer", "dup_first", "dup_second", "late"]
        ),
    ),
    st.tuples(st.just("deliver_late")),
    st.tuples(st.just("restart")),
    st.tuples(st.just("reconnect"), st.integers(0, 2)),
)


def run(net: Net, actions, deletes: bool):
    counter = 0
    for action in actions:
        kind = action[0]
        if kind == "type":
            _, i, where, sample = action
            counter += 1
            marker = f"<{i}.{counter}{sample}>"
            type_at(net.clients[i], where, marker)
            net.pending[i].append(marker)
            net.typed.append((i, frozenset(net.known[i]), marker))
            net.note(i, marker)
        elif kind == "delete" and deletes:
            _, i, where, size = action
            c = net.clients[i]
            pos = int(where * len(c.text))
            cut = {
                found.group()
                for found in MARKER.finditer(c.text)
                if found.start() < pos + size and pos < found.end()
            }
            c.edit(c.text[:pos] + c.text[pos + size :])
            counter += 1
            deletion = f"delete-{counter}"
            net.deletions.append((i, frozenset(net.known[i]), frozenset(cut), deletion))
            net.note(i, deletion)
        elif kind == "sync":
            net.sync(action[1], action[2])
        elif kind == "deliver_late":
            net.deliver_late()
        elif kind == "restart":
            net.restart()
        elif kind == "reconnect":
            net.join(action[1])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ACTIONS, max_size=60))
def test_inserts_converge_and_acknowledged_edits_survive(actions):
    net = Net()
    run(net, actions, deletes=False)
    text = check_converged(net)
    for acked in net.acked:
        for marker in acked:
            assert marker in text
    # without deletions, typed text survives too, acknowledged or not
    for i in range(len(net.clients)):
        for marker in net.pending[i]:
            assert marker in text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ACTIONS, max_size=60))
# Client 0 types a marker before the final "." and deletes the "."; the server restarts; client 1
# typed before the same "." and, rejoining, carries its typing over a diff of the two texts,
# which kept the "." as the one inside "<0.1😀>" and put client 1's marker inside it.
@example(
    [
        ("type", 0, 0.9921875, "😀"),
        ("delete", 0, 0.9921875, 1),
        ("restart",),
        ("sync", 0, "ok"),
        ("type", 1, 0.9921875, "😀"),
    ]
)
def test_edits_with_deletions_converge(actions):
    net = Net()
    run(net, actions, deletes=True)
    text = check_converged(net)
    # every acknowledged marker survives unless it was inside a region someone else deleted
    acked = set().union(*net.acked)
    for typist, knew, marker in net.typed:
        if marker in acked and not net.deleted_by_someone(typist, knew, marker):
            assert marker in text, (marker, text)
    # the stored text replays exactly from the edit log
    replay = ""
    for rev, (logged_rev, _author, delta) in enumerate(net.store.log[CHANNEL]):
        assert logged_rev == rev
        replay = from_delta(replay, delta)[1]
    assert replay == text


def test_duplicate_request_cannot_desynchronize_a_shadow():
    net = Net(clients=2)
    type_at(net.clients[0], 1.0, "<A>")
    net.sync(0)
    type_at(net.clients[1], 0.0, "<B>")
    net.sync(1, "drop_answer")  # B's edit is stored, its answer lost
    type_at(net.clients[0], 0.5, "<C>")
    net.sync(0)
    net.sync(1, "dup_first")  # the resend (no new edits) and a duplicate of it
    text = check_converged(net)
    assert all(marker in text for marker in ("<A>", "<B>", "<C>"))
    assert net.engine.stats["resent_outbox"] >= 1


def test_lost_answer_with_new_edits_restores_the_backup():
    net = Net(clients=2)
    type_at(net.clients[1], 0.0, "<B>")
    net.sync(1)
    type_at(net.clients[0], 1.0, "<A>")
    net.sync(0)
    net.sync(1, "drop_answer")  # the server sends A to client 1: lost
    type_at(net.clients[1], 0.5, "<D>")
    net.sync(1)
    assert net.engine.stats["backup_restores"] == 1
    text = check_converged(net)
    assert "<A>" in text and "<B>" in text and "<D>" in text


def test_restart_forces_rejoin_and_keeps_typing():
    net = Net(clients=2)
    type_at(net.clients[0], 0.3, "<kept>")
    net.restart()
    net.sync(0)  # desync -> rejoin -> local text re-applied
    text = check_converged(net)
    assert text.count("<kept>") == 1


def test_follower_cannot_send_edits():
    store = MemoryStore({CHANNEL: "abc"})
    engine = SyncEngine(store)
    joined = engine.join(CHANNEL, user=None, mode="follow")
    with pytest.raises(SyncError) as error:
        engine.sync(joined.client_id, CHANNEL, 0, [{"n": 0, "delta": "=3\t+d"}])
    assert error.value.code == "forbidden"
    assert store.load(CHANNEL) == ("abc", 0)


@pytest.mark.parametrize(
    "delta, code",
    [
        ("=3\t+%E0%A4", "bad_request"),  # truncated UTF-8
        ("=x", "bad_request"),
        ("*3", "bad_request"),
        ("=2", "desync"),  # well-formed, but against another shadow
        ("=9", "desync"),
    ],
)
def test_bad_deltas_leave_text_intact(delta, code):
    store = MemoryStore({CHANNEL: "abc"})
    engine = SyncEngine(store)
    joined = engine.join(CHANNEL, user=1)
    with pytest.raises(SyncError) as error:
        engine.sync(joined.client_id, CHANNEL, 0, [{"n": 0, "delta": delta}])
    assert error.value.code == code
    assert store.load(CHANNEL) == ("abc", 0)


def test_limits_are_enforced():
    store = MemoryStore({CHANNEL: "abc"})
    engine = SyncEngine(store, max_text=10, max_delta=20)
    joined = engine.join(CHANNEL, user=1)
    with pytest.raises(SyncError) as error:
        engine.sync(joined.client_id, CHANNEL, 0, [{"n": 0, "delta": "=3\t+" + "x" * 30}])
    assert error.value.code == "too_large"
    with pytest.raises(SyncError) as error:
        engine.sync(joined.client_id, CHANNEL, 0, [{"n": 0, "delta": "=3\t+" + "x" * 12}])
    assert error.value.code == "too_large"
    assert store.load(CHANNEL) == ("abc", 0)


def test_delta_cache_is_shared_by_followers():
    store = MemoryStore({CHANNEL: "hello"})
    engine = SyncEngine(store)
    editor = engine.join(CHANNEL, user=1)
    followers = [engine.join(CHANNEL, user=None, mode="follow") for _ in range(5)]
    engine.sync(editor.client_id, CHANNEL, 0, [{"n": 0, "delta": "=5\t+ world"}])
    for f in followers:
        result = engine.sync(f.client_id, CHANNEL, 0, [])
        assert result.edits == [{"m": 0, "delta": "=5\t+ world"}]
    assert engine.stats["delta_cache_hits"] == 5
    assert engine.stats["delta_cache_misses"] == 0


def test_compare_and_swap_retries_a_lost_race():
    store = MemoryStore({CHANNEL: "one two"})
    engine = SyncEngine(store)
    joined = engine.join(CHANNEL, user=1)
    original_save = store.save
    raced = {"done": False}

    def racing_save(channel, old_rev, text, **kw):
        if not raced["done"]:  # another process stores first
            raced["done"] = True
            original_save(channel, old_rev, "zero one two", author=2, delta="+zero \t=7")
        return (
            original_save(channel, old_rev, text, **kw) if old_rev == store.rev(channel) else False
        )

    store.save = racing_save
    result = engine.sync(joined.client_id, CHANNEL, 0, [{"n": 0, "delta": "=7\t+ three"}])
    assert store.load(CHANNEL) == ("zero one two three", 2)
    assert engine.stats["cas_retries"] == 1
    assert result.rev == 2 and result.edits  # the other process's change comes back to the client


def test_edit_rebased_over_a_diffed_base_stays_outside_a_neighbours_insertion():
    # Another process replaced the final "." with "<0.1😀>", and its step is not in the log:
    # the server diffs the client's base to the stored text, and a plain diff matched the
    # deleted "." with the one inside "<0.1😀>", which put this client's insertion inside it.
    store = MemoryStore({CHANNEL: "end."})
    engine = SyncEngine(store)
    joined = engine.join(CHANNEL, user=1)
    other = SyncEngine(store)
    theirs = other.join(CHANNEL, user=2)
    other.sync(theirs.client_id, CHANNEL, 0, [{"n": 0, "delta": "=3\t-1\t+%3C0.1%F0%9F%98%80%3E"}])
    store.deltas = lambda channel, after, upto: []  # the log no longer holds that step
    mine = to_delta([(0, "end"), (1, "<1.3😀>"), (0, ".")])
    engine.sync(joined.client_id, CHANNEL, 0, [{"n": 0, "delta": mine}])
    assert engine.stats["diffed_bases"] == 1
    assert store.load(CHANNEL) == ("end<1.3😀><0.1😀>", 2)


def test_diff_timeout_is_counted():
    engine = SyncEngine(MemoryStore({CHANNEL: ""}), diff_timeout=0.0001)
    a = "".join(chr(0x4E00 + (i * 7919) % 2000) for i in range(3000))
    b = "".join(chr(0x4E00 + (i * 104729) % 2000) for i in range(3000))
    diffs = engine.differ.diff(a, b)
    assert engine.diff_timeouts == 1
    assert from_delta(a, to_delta(diffs))[1] == b


@given(st.text(), st.text())
def test_delta_round_trip(a, b):
    delta = to_delta(diff_main(a, b))
    assert from_delta(a, delta)[1] == b


def test_javascript_delta_splitting_a_surrogate_pair_decodes():
    # npm diff-match-patch 1.0.5 diffs "a😀b" -> "a😁b" as =2 (half the pair) -1 +...
    units = "a😁b".encode("utf-16-le")
    high, low = (
        units[2:4].decode("utf-16-le", "surrogatepass"),
        units[4:6].decode("utf-16-le", "surrogatepass"),
    )
    assert high
    delta = "=2\t-1\t+" + "%ED%B8%81"  # a lone low surrogate is not valid UTF-8
    with pytest.raises(BadDelta):
        from_delta("a😀b", delta)
    with pytest.raises(DeltaMismatch):
        from_delta("a😀b", "=3")
    assert low
    # a delta that keeps half a pair and replaces the other half with a whole character's worth
    diffs, text = from_delta("a😀b", "=1\t-2\t+%F0%9F%98%81\t=1")
    assert text == "a😁b"


NODE = shutil.which("node")
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


@pytest.mark.skipif(not NODE or not (NODE_MODULES / "diff-match-patch").exists(), reason="no node")
def test_python_and_javascript_deltas_interoperate():
    a = "Hello 😀 world, שלום e\u0301 👩‍👩‍👧 %25 #+ \t tab"
    b = "Hello 😀😀 wörld, שלום עולם e\u0301e\u0301 👩‍👧 %26 #+ \n tab 漢字"
    py_delta = to_delta(diff_main(a, b))
    script = (
        "const DMP=require('diff-match-patch');const d=new DMP();"
        "const [a,b,pd]=JSON.parse(require('fs').readFileSync(0,'utf8'));"
        "const t=d.diff_text2(d.diff_fromDelta(a,pd));"
        "const jd=d.diff_toDelta(d.diff_main(a,b));"
        "process.stdout.write(JSON.stringify([t,jd]));"
    )
    out = subprocess.run(
        [NODE, "-e", script],
        input=json.dumps([a, b, py_delta]),
        capture_output=True,
        text=True,
        cwd=NODE_MODULES.parent,
        timeout=30,
        check=True,
    )
    js_text, js_delta = json.loads(out.stdout)
    assert js_text == b
    assert from_delta(a, js_delta)[1] == b
