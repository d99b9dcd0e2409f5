"""Abuse limits of /coedit: every event per connection and per user or address, presence
coalesced per room, control characters refused in deltas."""

import time

from sqlalchemy import select

from app.coedit.engine import diff_main, to_delta
from app.coedit.models import LiveText
from app.extensions import db, socketio
from tests.support.coedit_client import NAMESPACE


def freeze(app):
    """No refill during the test: budgets are their bursts, however slow the machine is."""
    app.extensions["coedit"].limiter.clock = lambda: 1000.0


def codes(acks):
    return [a["error"]["code"] if a and a.get("ok") is False else "ok" for a in acks]


def test_a_cursor_flood_is_refused_and_presence_is_coalesced(app, team, sockets):
    editor = sockets(team["member"])
    editor.core()
    follower = sockets(None)
    follower.core(mode="follow")
    time.sleep(0.1)
    editor.events()
    freeze(app)
    app.config["COEDIT_PRESENCE_COALESCE"] = 0.5
    payload = {"doc": "declaration", "lang": "en", "offset": 1, "end": 1}
    started = time.monotonic()
    acks = [follower.call("cursor", payload) for _ in range(300)]
    answered = codes(acks)
    assert answered.count("ok") == 20  # the connection's burst
    assert answered.count("rate_limited") == 280
    time.sleep(1.2)
    windows = (time.monotonic() - started) / 0.5
    presence = editor.events("presence")
    assert 1 <= len(presence) <= windows + 1  # one per window, not one per accepted event
    assert len(presence) < 20


def test_one_user_with_ten_sockets_shares_one_sync_budget(app, team, sockets, make_token):
    token = make_token(team["member"])
    socks = [sockets(token=token) for _ in range(10)]
    freeze(app)
    cores = [s.core() for s in socks]
    accepted = 0
    for _round in range(20):
        for sock, core in zip(socks, cores, strict=True):
            ack = sock.call("sync", core.sync_payload())
            if ack["ok"]:
                core.on_sync(ack)
                accepted += 1
            else:
                assert ack["error"]["code"] == "rate_limited"
    # the user's budget (a burst of 40), not 10 sockets x 20
    assert accepted == 40, accepted
    assert app.extensions["coedit"].refusals["rate_limited"] >= 100
    # another user is not slowed by it
    other = sockets(team["other_member"])
    other_core = other.core()
    assert other.call("sync", other_core.sync_payload())["ok"]


def test_a_join_flood_on_one_connection_is_refused(app, team, sockets):
    sock = sockets(team["member"])
    freeze(app)
    payload = {"doc": "declaration", "lang": "en", "mode": "edit"}
    answered = codes([sock.call("join", payload) for _ in range(40)])
    assert answered[:10] == ["ok"] * 10  # the connection's burst
    assert answered.count("rate_limited") == 30


def test_anonymous_connections_share_their_address_budget(app, team, sockets):
    app.config["COEDIT_EVENT_LIMITS"] = {"join": ((100.0, 100), (0.2, 10))}
    freeze(app)
    answered = []
    for _ in range(6):
        sock = sockets(None)
        for _ in range(3):
            ack = sock.call("join", {"doc": "declaration", "lang": "en", "mode": "follow"})
            answered.append(codes([ack])[0])
    assert answered.count("ok") == 10  # the address's burst, shared by six connections
    assert answered.count("rate_limited") == 8


def test_a_connect_flood_from_one_address_is_refused(app):
    app.config["COEDIT_EVENT_LIMITS"] = {"connect": (None, (1.0, 5))}
    freeze(app)
    clients = [socketio.test_client(app, namespace=NAMESPACE) for _ in range(8)]
    try:
        connected = [c.is_connected(NAMESPACE) for c in clients]
        assert connected[:5] == [True] * 5
        assert not any(connected[5:])
        assert app.extensions["coedit"].refusals["rate_limited"] >= 3
    finally:
        for c in clients:
            if c.is_connected(NAMESPACE):
                c.disconnect(NAMESPACE)


def _stored_text():
    db.session.expire_all()
    return db.session.scalar(select(LiveText.text))


def test_control_characters_in_deltas_are_refused(team, sockets):
    sock = sockets(team["member"])
    core = sock.core()
    before = core.text
    for bad in ("\x00", "a\x01b", "\x1b[31m", "\x7f\x08"):
        delta = to_delta(diff_main(before, before + bad))
        ack = sock.call(
            "sync",
            {"doc": "declaration", "lang": "en", "m": 0, "edits": [{"n": 0, "delta": delta}]},
        )
        assert ack["ok"] is False and ack["error"]["code"] == "bad_request", (bad, ack)
    raw = "=" + str(len(before)) + "\t+\x00"
    ack = sock.call(
        "sync", {"doc": "declaration", "lang": "en", "m": 0, "edits": [{"n": 0, "delta": raw}]}
    )
    assert ack["error"]["code"] == "bad_request"
    assert _stored_text() == before
    # tabs, line breaks and ordinary text still go through
    core.edit(before + "\n\n\tIndented 😀 line\r\n")
    ack = sock.call("sync", core.sync_payload())
    assert ack["ok"], ack
    assert _stored_text() == core.text
