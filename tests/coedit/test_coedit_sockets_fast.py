"""A sync reads credentials, permission and the stored rev in one query, and still refuses at once."""

import contextlib

from sqlalchemy import event, select

from app.bodies.models import Membership
from app.coedit.models import LiveText
from app.extensions import db


@contextlib.contextmanager
def statements():
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def selects(seen):
    return [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def test_token_sync_without_edits_is_one_query_and_no_write(team, sockets, make_token):
    sock = sockets(token=make_token(team["member"]))
    core = sock.core()
    with statements() as seen:
        ack = sock.call("sync", core.sync_payload())
    assert ack["ok"] and ack["edits"] == []
    assert len(selects(seen)) == 1, seen
    assert not [s for s in seen if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]


def test_token_sync_with_edits_reads_once_and_writes_once(team, sockets, make_token):
    sock = sockets(token=make_token(team["member"]))
    core = sock.core()
    core.edit(core.text + " typed")
    with statements() as seen:
        ack = sock.call("sync", core.sync_payload())
    assert ack["ok"] and ack["n"] == 1 and ack["rev"] == 1
    assert len(selects(seen)) == 1, seen
    db.session.expire_all()
    assert db.session.scalar(select(LiveText.text)).endswith(" typed")


def test_removed_token_member_is_refused_at_next_sync(team, sockets, make_token):
    sock = sockets(token=make_token(team["member"]))
    core = sock.core()
    assert sock.call("sync", core.sync_payload())["ok"]
    db.session.execute(Membership.__table__.delete().where(Membership.user_id == team["member"].id))
    db.session.commit()
    core.edit(core.text + " after")
    ack = sock.call("sync", core.sync_payload())
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    assert not db.session.scalar(select(LiveText.text)).endswith(" after")


def test_admin_and_anonymous_follower_take_the_one_query_path(team, sockets, make_token):
    admin = sockets(token=make_token(team["admin"]))
    core = admin.core()
    follower = sockets()
    watching = follower.core(mode="follow")
    core.edit(core.text + " by the admin")
    assert admin.call("sync", core.sync_payload())["ok"]
    with statements() as seen:
        ack = follower.call("sync", watching.sync_payload())
    assert ack["ok"] and watching.on_sync(ack)
    assert watching.text.endswith(" by the admin")
    assert len(selects(seen)) == 1, seen
