"""Push mode through the /coedit handlers (Flask-SocketIO's test client, windows at once)."""

import time

from sqlalchemy import select

from app.coedit.models import LiveText
from app.extensions import db


def stored_text():
    db.session.expire_all()
    return db.session.scalar(select(LiveText.text))


def test_push_editors_get_edits_and_acknowledge_by_the_next_sync(team, sockets, make_token):
    a = sockets(team["member"])
    b = sockets(token=make_token(team["admin"]))
    ca = a.core(push=True)
    cb = b.core(push=True)
    assert ca.pushing and cb.pushing
    b.events()
    ca.edit(ca.text + " Pushed.")
    assert a.sync(ca)["ok"]
    pushed = b.events("edits")
    assert len(pushed) == 1
    message = pushed[0]["args"][0]
    assert message["doc"] == "declaration" and message["rev"] == 1
    assert cb.on_push(message) == "applied"
    assert cb.text == stored_text() and cb.m == 1
    # the writer's own answer carried its text: nothing is pushed to it
    assert not a.events("edits")
    # the next (empty) sync acknowledges the push; nothing more to carry
    ack = b.call("sync", cb.sync_payload())
    assert ack["ok"] and ack["edits"] == []


def test_a_sync_crossing_a_push_is_not_a_desync(app, team, sockets, make_token):
    a = sockets(team["member"])
    b = sockets(token=make_token(team["admin"]))
    ca, cb = a.core(push=True), b.core(push=True)
    ca.edit("Start. " + ca.text)
    a.sync(ca)
    cb.edit(cb.text + " End.")  # b has not seen the push yet: its m names the older shadow
    ack = b.call("sync", cb.sync_payload())
    assert ack["ok"], ack
    assert cb.on_push(b.events("edits")[0]["args"][0], in_flight=True) == "ignored"
    assert cb.on_sync(ack)
    assert app.extensions["coedit"].engine.stats["push_crossings"] == 1
    assert cb.text == stored_text()
    assert cb.text.startswith("Start. ") and cb.text.endswith(" End.")


def test_push_followers_get_one_changed_then_one_revs(team, sockets):
    editor = sockets(team["member"])
    old_follower, new_follower = sockets(None), sockets(None)
    ce = editor.core(push=False)
    co = old_follower.core(mode="follow")
    cn = new_follower.core(mode="follow", push=True)
    old_follower.events()
    new_follower.events()
    ce.edit(ce.text + " For the room.")
    editor.sync(ce)
    received = [e for e in new_follower.events() if e["name"] in ("changed", "revs")]
    # `changed` first: in one process the `revs` of the same window follows it at once
    assert [e["name"] for e in received] == ["changed", "revs"]
    assert received[0]["args"][0]["rev"] == 1
    revs = received[1:]
    assert len(revs) == 1 and revs[0]["args"][0]["from"] == 0 and revs[0]["args"][0]["to"] == 1
    assert cn.on_revs(revs[0]["args"][0]) and cn.text == stored_text()
    # the old follower keeps today's protocol: `changed`, then its own sync
    names = [e["name"] for e in old_follower.events()]
    assert "changed" in names and "revs" not in names
    old_follower.sync(co)
    assert co.text == stored_text()


def test_a_push_follower_that_missed_a_window_rejoins(team, sockets):
    editor = sockets(team["member"])
    follower = sockets(None)
    ce = editor.core(push=True)
    cf = follower.core(mode="follow", push=True)
    for word in (" one", " two"):
        ce.edit(ce.text + word)
        editor.sync(ce)
    first, second = (e["args"][0] for e in follower.events("revs"))
    assert second["from"] == first["to"]
    assert not cf.on_revs(second)  # it missed the first window
    assert "client_id" not in cf.join_payload()
    cf.on_join(follower.call("join", cf.join_payload()))
    assert cf.text == stored_text() and cf.rev == second["to"]


def test_a_push_follower_behind_another_process_starts_from_the_stored_text(
    app, team, sockets, monkeypatch
):
    """Another process stored the change: this process's followers' base is behind the stored
    text. A follower that rejoins (after a `changed` no `revs` followed) gets the stored text,
    and the window its join schedules brings the followers still at the base there."""
    editor = sockets(team["member"])
    first, second = sockets(None), sockets(None)
    ce = editor.core(push=True)
    c1 = first.core(mode="follow", push=True)
    c2 = second.core(mode="follow", push=True)
    engine = app.extensions["coedit"].engine
    real_revs = engine.revs
    # this process's windows send no `revs`, as when the text moved through another process
    monkeypatch.setattr(engine, "revs", lambda channel, rev, text, hint=None: (rev, text, None))
    ce.edit(ce.text + " Elsewhere.")
    editor.sync(ce)
    changed = [e["args"][0] for e in first.events() if e["name"] in ("changed", "revs")]
    assert [c["rev"] for c in changed] == [1]  # told by `changed`, no `revs`
    assert c1.rev == 0 and not second.events("revs")
    monkeypatch.setattr(engine, "revs", real_revs)
    c1.on_join(first.call("join", c1.join_payload()))
    assert c1.text == stored_text() and c1.rev == 1
    revs = [e["args"][0] for e in second.events("revs")]
    assert len(revs) == 1 and c2.on_revs(revs[0])
    assert c2.text == stored_text() and c2.rev == 1


def test_python_push_follower_converges_when_revs_never_comes(app, team, live_server, make_token):
    """The project's client: a push follower that gets `changed` but no `revs` rejoins."""
    from tests.support.coedit_client import SocketClient

    engine = app.extensions["coedit"].engine
    engine.revs = lambda channel, rev, text, hint=None: (rev, text, None)  # no `revs`, ever
    editor = SocketClient(live_server, "declaration", "en", token=make_token(team["member"]))
    follower = SocketClient(live_server, "declaration", "en", mode="follow")
    try:
        editor.connect()
        follower.connect()
        assert follower.core.pushing
        editor.insert(0, "<from elsewhere>")
        editor.sync()
        assert follower.wait_for(lambda text: text.startswith("<from elsewhere>"), timeout=10)
        assert follower.text == editor.text
    finally:
        del engine.revs
        editor.close()
        follower.close()


def test_followers_windows_are_spaced_by_how_many_follow(app, team, sockets):
    """Each followers' window is a send per push follower: their spacing grows with them, while
    the editors' windows keep theirs."""
    editor = sockets(team["member"])
    ce = editor.core(push=False)
    follower = sockets(None)
    follower.core(mode="follow", push=True)
    sockets(None).core(mode="follow", push=True)
    follower.events()
    editor.events()
    app.config["COEDIT_CHANGED_COALESCE"] = 0.03
    app.config["COEDIT_FOLLOWER_SPACING"] = 400.0  # seconds per thousand: 0.8 s for two
    for word in ("one", "two", "three"):
        ce.edit(ce.text + " " + word)
        assert editor.sync(ce)["ok"]
        time.sleep(0.1)
    assert [e["args"][0]["to"] for e in follower.events("revs")] == [1]  # the first at once
    changed = [e["args"][0]["rev"] for e in editor.events("changed")]
    assert changed == [1, 2, 3]  # the editors' windows are not held back with the followers'
    time.sleep(1.0)
    assert [(e["args"][0]["from"], e["args"][0]["to"]) for e in follower.events("revs")] == [(1, 3)]


def test_the_followers_spacing_is_bounded(app):
    from app.coedit.events.hub import Room

    hub = app.extensions["coedit"]
    app.config["COEDIT_FOLLOWER_SPACING"] = 0.25
    room = "coedit:spacing-test:en"
    hub.rooms[room] = Room("spacing-test", "en", 0)
    try:
        assert hub._followers_spacing(room, 0.03) == 0.03  # nobody follows: the editors' spacing
        hub.rooms[room].followers.update(f"sid-{i}" for i in range(1000))
        assert hub._followers_spacing(room, 0.03) == 0.25
        hub.rooms[room].followers.update(f"sid-{i}" for i in range(10_000))
        assert hub._followers_spacing(room, 0.03) == 1.0
    finally:
        del hub.rooms[room]
