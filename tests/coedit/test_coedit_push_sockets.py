"""Push mode through the /coedit handlers (Flask-SocketIO's test client, windows at once)."""

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


def test_push_followers_get_one_revs_and_no_changed(team, sockets):
    editor = sockets(team["member"])
    old_follower, new_follower = sockets(None), sockets(None)
    ce = editor.core(push=False)
    co = old_follower.core(mode="follow")
    cn = new_follower.core(mode="follow", push=True)
    old_follower.events()
    new_follower.events()
    ce.edit(ce.text + " For the room.")
    editor.sync(ce)
    revs = new_follower.events("revs")
    assert not new_follower.events("changed")
    assert len(revs) == 1 and revs[0]["args"][0]["from"] == 0 and revs[0]["args"][0]["to"] == 1
    assert cn.on_revs(revs[0]["args"][0]) and cn.text == stored_text()
    # the old follower keeps today's protocol: `changed`, then its own sync
    assert old_follower.events("changed") and not old_follower.events("revs")
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
