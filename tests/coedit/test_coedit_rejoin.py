"""A rejoin whose state the server lost is told exactly which of its edits reached the text.

The edit log names the client and its n behind each change stored from a sync; a `join` with a
client_id whose state is gone answers `applied` (docs/coedit-protocol.md, `join`), and the
client carries over exactly the edits and the typing the text lacks.
"""

import pytest
from sqlalchemy import select

from app.coedit import queries
from app.coedit.engine import Change, MemoryStore, SyncEngine, to_delta
from app.coedit.engine.rebase import INSERT
from app.coedit.models import EditLog, LiveText
from app.coedit.services import get_or_create_live_text, store_live_text_changes
from app.extensions import db
from tests.coedit.test_coedit_group_commit import CHANNEL, INITIAL, WORDS, run_together, setup


def append(text: str, value: str) -> str:
    return to_delta([(0, text), (INSERT, value)] if text else [(INSERT, value)])


def test_the_log_names_the_client_and_its_n_after_the_sync():
    store = MemoryStore({CHANNEL: "abc"})
    engine = SyncEngine(store, group_window=0)
    joined = engine.join(CHANNEL, user=7)
    edits = [{"n": 0, "delta": append("abc", "d")}, {"n": 1, "delta": append("abcd", "e")}]
    engine.sync(joined.client_id, CHANNEL, 0, edits, author=7)
    engine.sync(joined.client_id, CHANNEL, 0, [{"n": 2, "delta": append("abcde", "f")}], author=7)
    assert store.clients[CHANNEL] == [(1, joined.client_id, 2), (2, joined.client_id, 3)]
    assert store.applied(CHANNEL, joined.client_id, 7) == 3
    assert store.applied(CHANNEL, joined.client_id, 8) is None  # someone else's id
    assert store.applied(CHANNEL, "unknown", 7) is None


def test_a_group_commit_keeps_each_change_with_its_own_client():
    store, engine, joined, edits = setup(window=0.2)
    results = run_together(engine, joined, edits)
    assert all(not isinstance(r, Exception) for r in results), results
    assert store.transactions == [len(WORDS)]
    authors = {rev: author for rev, author, _delta in store.log[CHANNEL]}
    logged = store.clients[CHANNEL]
    assert sorted(rev for rev, _cid, _n in logged) == list(range(1, len(WORDS) + 1))
    by_id = {j.client_id: i for i, j in enumerate(joined)}
    for rev, client_id, n in logged:
        assert n == 1
        assert authors[rev] == by_id[client_id]  # each change kept its own client


def test_a_fresh_start_says_which_edits_of_the_lost_client_reached_the_text():
    store = MemoryStore({CHANNEL: INITIAL})
    engine = SyncEngine(store, group_window=0)
    joined = engine.join(CHANNEL, user=1)
    assert joined.applied is None
    edits = [{"n": 0, "delta": append(INITIAL, " one")}]
    engine.sync(joined.client_id, CHANNEL, 0, edits, author=1)
    # a resume is not a fresh start: nothing to tell
    assert engine.join(CHANNEL, user=1, client_id=joined.client_id).applied is None
    restarted = SyncEngine(store, group_window=0)  # the states are gone
    again = restarted.join(CHANNEL, user=1, client_id=joined.client_id)
    assert (again.resumed, again.n, again.applied) == (False, 0, 1)
    assert restarted.join(CHANNEL, user=1, client_id="never-issued").applied == 0
    assert restarted.join(CHANNEL, user=2, client_id=joined.client_id).applied == 0
    assert (
        restarted.join(CHANNEL, user=1, client_id=joined.client_id, mode="follow").applied is None
    )
    assert restarted.join(CHANNEL, user=1).applied is None


def test_the_database_log_keeps_the_client_of_each_change(team):
    live = get_or_create_live_text(team["document"], "en")
    db.session.commit()
    base, user = live.text, team["member"].id
    first, second, third = base + " one", base + " one two", base + " one two three"
    changes = [
        Change(first, user, to_delta([(0, base), (INSERT, " one")]), "client-a", 1),
        Change(second, user, to_delta([(0, first), (INSERT, " two")]), "client-b", 4),
        (third, None, to_delta([(0, second), (INSERT, " three")])),  # another writer
    ]
    assert store_live_text_changes(live.id, 0, changes)
    db.session.commit()
    rows = db.session.execute(
        select(EditLog.rev, EditLog.client_id, EditLog.client_n).order_by(EditLog.rev)
    ).all()
    assert [tuple(r) for r in rows] == [
        (0, None, None),
        (1, "client-a", 1),
        (2, "client-b", 4),
        (3, None, None),
    ]
    assert queries.client_applied(live.id, "client-b", user) == 4
    assert queries.client_applied(live.id, "client-b", team["admin"].id) is None
    assert queries.client_applied(live.id, "client-c", user) is None


def stored_text():
    db.session.expire_all()
    return db.session.scalar(select(LiveText.text))


@pytest.mark.parametrize("reached", [True, False], ids=["outbox-stored", "outbox-lost"])
def test_a_rejoin_after_the_server_forgot_the_client_carries_exactly_its_typing(
    app, team, sockets, reached
):
    first = sockets(team["member"])
    core = first.core()
    base = core.text
    core.edit(base + " one")
    assert first.sync(core)["ok"]
    old_id = core.client_id
    core.edit(core.text + " two")
    payload = core.sync_payload()
    if reached:
        assert first.call("sync", payload)["ok"]  # stored; the answer never reaches the client
    assert core.outbox  # " two" is unacknowledged either way
    first.raw.disconnect("/coedit")
    app.extensions["coedit"].engine.states.clear()  # a restart, or the state expired
    core.edit(core.text + " three")  # typed meanwhile, never sent

    second = sockets(team["member"])
    ack = second.call("join", core.join_payload())
    assert ack["ok"] and ack["client_id"] != old_id and ack["n"] == 0
    assert ack["applied"] == (2 if reached else 1)
    core.on_join(ack)
    assert ack["text"] == base + (" one two" if reached else " one")
    assert core.text == base + " one two three"  # " two" neither doubled nor lost
    assert second.sync(core)["ok"]
    assert stored_text() == core.text == base + " one two three"
    rows = db.session.execute(
        select(EditLog.client_id, EditLog.client_n).where(EditLog.rev > 0).order_by(EditLog.rev)
    ).all()
    expected = [(old_id, 1), (old_id, 2)] if reached else [(old_id, 1)]
    assert [tuple(r) for r in rows] == [*expected, (ack["client_id"], 1)]


def test_ordinary_joins_carry_no_applied(team, sockets):
    sock = sockets(team["member"])
    core = sock.core()
    resumed = sock.call("join", core.join_payload())
    assert resumed["ok"] and resumed["client_id"] == core.client_id and "applied" not in resumed
    other = sockets(team["member"])
    fresh = other.call("join", {"doc": "declaration", "lang": "en", "mode": "edit"})
    assert fresh["ok"] and "applied" not in fresh
    unknown = other.call(
        "join", {"doc": "declaration", "lang": "en", "mode": "edit", "client_id": "gone"}
    )
    assert unknown["ok"] and unknown["applied"] == 0
    follower = sockets(None)
    ack = follower.call(
        "join", {"doc": "declaration", "lang": "en", "mode": "follow", "client_id": "gone"}
    )
    assert ack["ok"] and "applied" not in ack
