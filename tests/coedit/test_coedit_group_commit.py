"""Group commit: edits of syncs arriving together are stored in one transaction, then answered."""

import threading

import pytest
from sqlalchemy import select

from app.coedit.engine import MemoryStore, SyncEngine, SyncError, from_delta, to_delta
from app.coedit.engine.rebase import INSERT
from app.coedit.models import EditLog, LiveText
from app.coedit.services import get_or_create_live_text, store_live_text_changes
from app.extensions import db

CHANNEL = "doc/en"
WORDS = ["alpha", "beta", "gamma", "delta", "epsilon"]
INITIAL = " ".join(WORDS)


class CountingStore(MemoryStore):
    """A MemoryStore noting every transaction; `gate` holds transactions until it is set."""

    def __init__(self, texts):
        super().__init__(texts)
        self.transactions: list[int] = []
        self.gate = threading.Event()
        self.gate.set()
        self.lose_next = False
        self.fail_next = False

    def save_many(self, channel, old_rev, changes):
        self.gate.wait(5)
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("disk full")
        if self.lose_next:  # another process stores a change first
            self.lose_next = False
            text, rev = self.texts[channel]
            super().save_many(channel, rev, [("Title " + text, 99, "+Title \t=" + str(len(text)))])
        stored = super().save_many(channel, old_rev, changes)
        if stored:
            self.transactions.append(len(changes))
        return stored


def insert_after(text: str, word: str, token: str) -> str:
    """A delta inserting `token` right after `word` in `text`."""
    at = text.index(word) + len(word)
    return to_delta([(0, text[:at]), (INSERT, token), (0, text[at:])])


def run_together(engine, joined, window_edits, *, wait=True):
    """Each client syncs its one edit from its own thread, all released at once.

    Returns the results (an answer or the exception raised) once all are done, or with
    `wait=False` at once, with the threads.
    """
    results: list = [None] * len(joined)
    barrier = threading.Barrier(len(joined))

    def sync(i):
        barrier.wait()
        try:
            results[i] = engine.sync(joined[i].client_id, CHANNEL, 0, [window_edits[i]], author=i)
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[i] = error

    threads = [threading.Thread(target=sync, args=(i,)) for i in range(len(joined))]
    for thread in threads:
        thread.start()
    if not wait:
        return threads, results
    for thread in threads:
        thread.join(10)
    return results


def setup(window=0.2):
    store = CountingStore({CHANNEL: INITIAL})
    engine = SyncEngine(store, group_window=window)
    joined = [engine.join(CHANNEL, user=i) for i in range(len(WORDS))]
    edits = [
        {"n": 0, "delta": insert_after(INITIAL, word, f" <{i}>")} for i, word in enumerate(WORDS)
    ]
    return store, engine, joined, edits


def client_text(edit, result) -> str:
    """What a client holds after its answer: its own edit, then every server edit."""
    text = from_delta(INITIAL, edit["delta"])[1]
    for server_edit in result.edits:
        text = from_delta(text, server_edit["delta"])[1]
    return text


def test_syncs_arriving_together_share_one_transaction_and_converge():
    store, engine, joined, edits = setup()
    results = run_together(engine, joined, edits)
    text, rev = store.load(CHANNEL)
    assert rev == len(WORDS) and store.transactions == [len(WORDS)]
    assert engine.stats["group_commits"] == 1 and engine.stats["grouped_revs"] == len(WORDS)
    for i, word in enumerate(WORDS):
        assert f"{word} <{i}>" in text
    # one edit-log row per change, each with its author, replaying to the stored text
    assert [r for r, _a, _d in store.log[CHANNEL]] == list(range(len(WORDS) + 1))
    replayed = ""
    for _rev, _author, delta in store.log[CHANNEL]:
        replayed = from_delta(replayed, delta)[1]
    assert replayed == text
    assert sorted(a for _r, a, _d in store.log[CHANNEL][1:]) == list(range(len(WORDS)))
    for edit, result in zip(edits, results, strict=True):
        assert result.rev == rev and result.n == 1
        assert client_text(edit, result) == text  # every client reaches the stored text
    assert sum(result.changed for result in results) == len(WORDS)


def test_no_sync_is_answered_before_its_group_is_committed():
    store, engine, joined, edits = setup(window=0.05)
    store.gate.clear()  # the transaction waits
    threads, results = run_together(engine, joined, edits, wait=False)
    threads[0].join(0.5)
    assert all(result is None for result in results)  # nobody answered yet
    assert store.load(CHANNEL) == (INITIAL, 0)
    store.gate.set()
    for thread in threads:
        thread.join(10)
    assert all(result is not None and result.rev == len(WORDS) for result in results)


def test_a_failed_transaction_fails_every_sync_of_the_group_and_changes_no_state():
    store, engine, joined, edits = setup(window=0.05)
    store.fail_next = True
    results = run_together(engine, joined, edits)
    assert all(isinstance(result, RuntimeError) for result in results)
    assert store.load(CHANNEL) == (INITIAL, 0)
    for j in joined:  # each client may send its edit again: its state did not move
        state = engine.states[j.client_id]
        assert (state.shadow, state.shadow_n, state.shadow_rev) == (INITIAL, 0, 0)
    result = engine.sync(joined[0].client_id, CHANNEL, 0, [edits[0]], author=0)
    assert result.rev == 1 and store.load(CHANNEL)[0] == from_delta(INITIAL, edits[0]["delta"])[1]


def test_a_group_that_loses_the_compare_and_swap_is_carried_over_the_new_text():
    store, engine, joined, edits = setup(window=0.05)
    store.lose_next = True
    results = run_together(engine, joined, edits)
    text, rev = store.load(CHANNEL)
    assert rev == len(WORDS) + 1 and text.startswith("Title alpha <0>")
    assert engine.stats["cas_retries"] == 1
    for edit, result in zip(edits, results, strict=True):
        assert client_text(edit, result) == text


def test_one_refused_sync_does_not_hold_back_the_others():
    store, engine, joined, edits = setup(window=0.05)
    engine.max_text = len(INITIAL) + 4 * 5  # room for four insertions of five characters
    edits[2] = {"n": 0, "delta": insert_after(INITIAL, "gamma", " <2>" + "x" * 40)}
    results = run_together(engine, joined, edits)
    assert isinstance(results[2], SyncError) and results[2].code == "too_large"
    text, rev = store.load(CHANNEL)
    assert rev == len(WORDS) - 1 and "<2>" not in text
    for i in (0, 1, 3, 4):
        assert client_text(edits[i], results[i]) == text


def test_database_stores_several_changes_in_one_compare_and_swap(team):
    live = get_or_create_live_text(team["document"], "en")
    db.session.commit()
    base = live.text
    first, second = base + " one", base + " one two"
    changes = [
        (first, team["member"].id, to_delta([(0, base), (INSERT, " one")])),
        (second, None, to_delta([(0, first), (INSERT, " two")])),
    ]
    assert not store_live_text_changes(live.id, 5, changes)  # not the stored rev
    assert store_live_text_changes(live.id, 0, changes)
    db.session.commit()
    assert db.session.execute(select(LiveText.text, LiveText.rev)).one() == (second, 2)
    log = db.session.scalars(select(EditLog).order_by(EditLog.rev)).all()
    assert [(e.rev, e.user_id) for e in log] == [(0, None), (1, team["member"].id), (2, None)]
    text = ""
    for entry in log:
        text = from_delta(text, entry.delta)[1]
    assert text == second


@pytest.mark.parametrize("window", [0, 0.002])
def test_a_lone_sync_is_stored_alone(window):
    store, engine, joined, edits = setup(window=window)
    result = engine.sync(joined[0].client_id, CHANNEL, 0, [edits[0]], author=0)
    assert result.rev == 1 and result.changed and store.transactions == [1]
    assert engine.stats["group_commits"] == 0


def test_group_window_comes_from_the_environment_and_reaches_the_engine(app, team, sockets):
    import os
    import subprocess
    import sys
    from pathlib import Path

    from app.coedit.events.hub import Hub

    root = Path(__file__).resolve().parents[2]
    read = "from app.config import Config; print(repr(Config.COEDIT_GROUP_WINDOW))"
    env = dict(os.environ, PYTHONPATH=str(root), COEDIT_GROUP_WINDOW="0.05")
    out = subprocess.run([sys.executable, "-c", read], env=env, cwd=root, capture_output=True)
    assert out.stdout.decode().strip() == "0.05", out.stderr.decode()
    env.pop("COEDIT_GROUP_WINDOW")
    out = subprocess.run([sys.executable, "-c", read], env=env, cwd=root, capture_output=True)
    assert out.stdout.decode().strip() == "0.002", out.stderr.decode()
    assert app.config["COEDIT_GROUP_WINDOW"] == 0.002
    app.config["COEDIT_GROUP_WINDOW"] = 0.05
    hub = Hub(app)
    assert hub.engine.group_window == 0.05
    app.extensions["coedit"] = hub  # the socket handlers use this hub from now on
    sock = sockets(team["member"])
    core = sock.core()
    core.edit(core.text + " grouped")
    assert sock.sync(core)["ok"]
    channel = next(iter(hub.engine.channels.values()))
    assert channel.group.window == 0.05
