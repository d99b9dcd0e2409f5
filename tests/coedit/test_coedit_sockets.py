"""Socket handlers of /coedit through Flask-SocketIO's test client: protocol, errors, permissions."""

import time

import pytest
from sqlalchemy import select

from app.accounts.services import renew_session_epoch
from app.bodies.models import Membership
from app.coedit.engine import from_delta
from app.coedit.models import EditLog, LiveText
from app.extensions import db


def stored(document):
    db.session.expire_all()
    live = db.session.scalar(select(LiveText).where(LiveText.document_id == document.id))
    return live.text, live.rev


def error_code(ack):
    assert ack["ok"] is False, ack
    assert set(ack["error"]) == {"code", "message"}
    return ack["error"]["code"]


def test_join_sync_and_edit_log(team, sockets):
    sock = sockets(team["member"])
    core = sock.core()
    assert core.text == team["document"].current_version.markdown
    assert core.rev == 0
    core.edit(core.text + "\n\nA new paragraph 😀 by the member.")
    ack = sock.sync(core)
    assert ack["ok"] and ack["n"] == 1 and ack["rev"] == 1
    assert stored(team["document"]) == (core.text, 1)
    entries = db.session.scalars(select(EditLog).order_by(EditLog.rev)).all()
    assert [e.rev for e in entries] == [0, 1]
    assert entries[1].user_id == team["member"].id
    replay = ""
    for entry in entries:
        replay = from_delta(replay, entry.delta)[1]
    assert replay == core.text


def test_two_editors_converge_and_peers_are_told(team, sockets, make_token):
    a = sockets(team["member"])
    b = sockets(token=make_token(team["admin"]))
    ca, cb = a.core(), b.core()
    b.events()
    ca.edit("Alpha. " + ca.text)
    cb.edit(cb.text + " Omega.")
    a.sync(ca)
    changed = b.events("changed")
    assert changed and changed[-1]["args"][0]["rev"] == 1
    assert changed[-1]["args"][0]["by"] == team["member"].id
    b.sync(cb)
    a.sync(ca)
    assert ca.text == cb.text == stored(team["document"])[0]
    assert ca.text.startswith("Alpha. ") and ca.text.endswith(" Omega.")


def test_changed_goes_out_at_once_then_once_per_spacing(app, team, sockets):
    """A lone change is not held back; changes within the spacing travel in one later window."""
    a, b = sockets(team["member"]), sockets(None)
    ca = a.core()
    b.core(mode="follow")
    b.events()
    app.config["COEDIT_CHANGED_COALESCE"] = 1.0
    for word in ("one", "two", "three"):
        ca.edit(ca.text + " " + word)
        assert a.sync(ca)["ok"]
    time.sleep(0.3)
    changed = b.events("changed")
    assert [event["args"][0]["rev"] for event in changed] == [1]
    time.sleep(1.5)
    changed = b.events("changed")
    assert [event["args"][0]["rev"] for event in changed] == [3]


def test_resume_with_client_id(team, sockets):
    first = sockets(team["member"])
    core = first.core()
    core.edit(core.text + " typed")
    first.sync(core)
    first.raw.disconnect("/coedit")
    core.edit(core.text + " offline")
    second = sockets(team["member"])
    ack = second.call("join", core.join_payload())
    assert ack["ok"] and ack["client_id"] == core.client_id and ack["n"] == 1
    core.on_join(ack)
    assert second.sync(core)["ok"]
    assert stored(team["document"])[0].endswith(" typed offline")


def test_someone_elses_client_id_is_not_resumed(team, sockets):
    member = sockets(team["member"])
    core = member.core()
    intruder = sockets(team["other_member"])
    ack = intruder.call(
        "join", {"doc": "declaration", "lang": "en", "mode": "edit", "client_id": core.client_id}
    )
    assert ack["ok"] and ack["client_id"] != core.client_id and ack["n"] == 0


def test_anonymous_may_only_follow(team, sockets):
    anonymous = sockets(None)
    assert anonymous.connected
    assert (
        error_code(anonymous.call("join", {"doc": "declaration", "lang": "en", "mode": "edit"}))
        == "unauthenticated"
    )
    core = anonymous.core(mode="follow")
    editor = sockets(team["member"])
    ce = editor.core()
    ce.edit(ce.text + " seen by followers")
    editor.sync(ce)
    anonymous.sync(core)
    assert core.text == ce.text
    core.mode = "edit"  # a follower that tries to send edits anyway
    core.edit(core.text + " sneaky")
    assert error_code(anonymous.call("sync", core.sync_payload())) == "forbidden"
    assert "sneaky" not in stored(team["document"])[0]


def test_outsider_cannot_edit_but_may_follow(team, sockets):
    outsider = sockets(team["outsider"])
    assert (
        error_code(outsider.call("join", {"doc": "declaration", "lang": "en", "mode": "edit"}))
        == "forbidden"
    )
    assert outsider.call("join", {"doc": "declaration", "lang": "en", "mode": "follow"})["ok"]


def test_participant_follower_edits_refused(team, sockets):
    member = sockets(team["member"])
    core = member.core(mode="follow")
    core.mode = "edit"
    core.edit(core.text + " via follow")
    assert error_code(member.call("sync", core.sync_payload())) == "forbidden"
    assert stored(team["document"])[1] == 0


def test_client_joined_to_one_document_cannot_edit_another(team, sockets):
    sockets(team["member"]).core()  # the declaration's live text exists
    outsider = sockets(team["outsider"])
    core = outsider.core(doc="other-doc")  # the outsider drafts the other document
    core.edit(core.text + " mine")
    payload = core.sync_payload()
    payload["doc"] = "declaration"
    assert error_code(outsider.call("sync", payload)) == "forbidden"
    assert stored(team["document"])[1] == 0


def test_removed_member_is_refused_at_next_sync(team, sockets):
    member = sockets(team["member"])
    core = member.core()
    core.edit(core.text + " before")
    assert member.sync(core)["ok"]
    db.session.execute(Membership.__table__.delete().where(Membership.user_id == team["member"].id))
    db.session.commit()
    core.edit(core.text + " after")
    assert error_code(member.call("sync", core.sync_payload())) == "forbidden"
    assert stored(team["document"])[0].endswith(" before")


def test_logout_takes_effect_on_open_connection(team, sockets):
    member = sockets(team["member"])
    core = member.core()
    user = db.session.get(type(team["member"]), team["member"].id)
    renew_session_epoch(user)
    db.session.commit()
    core.edit(core.text + " after logout")
    assert error_code(member.call("sync", core.sync_payload())) == "unauthenticated"


def test_revoked_token_takes_effect(team, sockets, make_token):
    from app.accounts.models import ApiToken
    from app.core.timeutil import utcnow

    sock = sockets(token=make_token(team["admin"]))
    core = sock.core()
    for token in db.session.scalars(select(ApiToken)):
        token.revoked_at = utcnow()
    db.session.commit()
    assert error_code(sock.call("sync", core.sync_payload())) == "unauthenticated"


@pytest.fixture
def connect_errors(monkeypatch):
    """The data of every CONNECT_ERROR packet the server sends (the test client drops it)."""
    from socketio import packet

    from app.extensions import socketio

    seen = []

    class Recording(packet.Packet):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.packet_type == packet.CONNECT_ERROR:
                seen.append(self.data)

    monkeypatch.setattr(socketio.server, "packet_class", Recording)
    return seen


def test_invalid_token_and_foreign_origin_are_refused_with_a_code(
    app, team, sockets, connect_errors
):
    assert not sockets(token="agora_not-a-token").connected
    assert not sockets(team["member"], headers={"Origin": "http://evil.example"}).connected
    codes = [error["data"]["code"] for error in connect_errors]
    assert codes == ["unauthenticated", "forbidden"]
    for error in connect_errors:
        assert set(error["data"]) == {"code", "message"}
        assert error["message"] == error["data"]["message"] and "{" not in error["message"]
    refusals = app.extensions["coedit"].refusals
    assert refusals["unauthenticated"] >= 1 and refusals["forbidden"] >= 1
    assert sockets(team["member"], headers={"Origin": "http://localhost"}).connected
    assert sockets(team["member"], headers={"Origin": "http://127.0.0.1"}).connected
    assert len(connect_errors) == 2


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"doc": "nope", "lang": "en", "mode": "follow"}, "not_found"),
        ({"doc": "declaration", "lang": "xx", "mode": "follow"}, "not_found"),
        ({"doc": "declaration", "lang": "en", "mode": "write"}, "bad_request"),
        ({"doc": 5, "lang": "en"}, "bad_request"),
        ("join me", "bad_request"),
        ({"doc": "declaration", "lang": "en", "client_id": ["x"]}, "bad_request"),
    ],
)
def test_join_errors(team, sockets, payload, code):
    assert error_code(sockets(team["member"]).call("join", payload)) == code


@pytest.mark.parametrize(
    "mutate, code",
    [
        (lambda p: p.update(m="0"), "bad_request"),
        (lambda p: p.update(m=-1), "bad_request"),
        (lambda p: p.update(edits="=5"), "bad_request"),
        (lambda p: p.update(edits=[{"n": 0}]), "bad_request"),
        (lambda p: p.update(edits=[{"n": True, "delta": ""}]), "bad_request"),
        (lambda p: p.update(edits=[{"n": 0, "delta": "=3\t*x"}]), "bad_request"),
        (lambda p: p.update(edits=[{"n": 0, "delta": "=3"}]), "desync"),  # against a stale shadow
        (lambda p: p.update(edits=[{"n": 5, "delta": "=1"}]), "desync"),
        (lambda p: p.update(m=7), "desync"),
        (lambda p: p.update(lang="fr"), "not_found"),
        (lambda p: p.update(doc="missing"), "not_found"),
    ],
)
def test_sync_errors_leave_text_intact(team, sockets, mutate, code):
    sock = sockets(team["member"])
    core = sock.core()
    before = stored(team["document"])
    payload = core.sync_payload()
    mutate(payload)
    assert error_code(sock.call("sync", payload)) == code
    assert stored(team["document"]) == before
    # the worker still serves this connection
    fresh = sock.core()
    fresh.edit(fresh.text + " still fine")
    assert sock.sync(fresh)["ok"]


def test_sync_without_join_is_desync(team, sockets):
    sock = sockets(team["member"])
    assert (
        error_code(sock.call("sync", {"doc": "declaration", "lang": "en", "m": 0, "edits": []}))
        == "desync"
    )


def test_too_large(app, team, sockets):
    app.config["COEDIT_MAX_DELTA"] = 100
    sock = sockets(team["member"])
    core = sock.core()
    core.edit(core.text + "x" * 200)
    assert error_code(sock.call("sync", core.sync_payload())) == "too_large"
    app.config["COEDIT_MAX_DELTA"] = 256 * 1024
    core2 = sock.core()
    app.extensions["coedit"].engine.max_text = len(core2.text) + 5
    core2.edit(core2.text + "y" * 10)
    assert error_code(sock.call("sync", core2.sync_payload())) == "too_large"
    assert stored(team["document"])[1] == 0


def test_rate_limited(app, team, sockets):
    app.config["COEDIT_MAX_SYNCS_PER_SECOND"] = 3
    sock = sockets(team["member"])
    core = sock.core()
    codes = [sock.call("sync", core.sync_payload()) for _ in range(5)]
    assert [a["ok"] for a in codes[:3]] == [True] * 3
    assert error_code(codes[3]) == "rate_limited"
    assert app.extensions["coedit"].refusals["rate_limited"] >= 1


def test_presence_and_cursor(team, sockets):
    a = sockets(team["member"])
    a.core()
    b = sockets(team["other_member"])
    b.core()
    peers = a.events("presence")[-1]["args"][0]["peers"]
    assert {p["name"] for p in peers} == {"Member Person", "Second Member"}
    assert {p["group"] for p in peers} == {"government", "civil_society"}
    b.raw.emit(
        "cursor", {"doc": "declaration", "lang": "en", "offset": 4, "end": 9}, namespace="/coedit"
    )
    peers = a.events("presence")[-1]["args"][0]["peers"]
    mine = next(p for p in peers if p["user"] == team["other_member"].id)
    assert (mine["mode"], mine["offset"], mine["end"]) == ("edit", 4, 9)
    b.call("leave", {"doc": "declaration", "lang": "en"})
    peers = a.events("presence")[-1]["args"][0]["peers"]
    assert [p["user"] for p in peers] == [team["member"].id]


def test_anonymous_observers_are_counted_not_listed(team, sockets):
    editor = sockets(team["member"])
    editor.core()
    for _ in range(3):
        sockets(None).core(mode="follow")
    presence = editor.events("presence")[-1]["args"][0]
    assert [p["user"] for p in presence["peers"]] == [team["member"].id]
    assert presence["observers"] == 3
    ack = sockets(None).call("join", {"doc": "declaration", "lang": "en", "mode": "follow"})
    assert [p["user"] for p in ack["peers"]] == [team["member"].id] and ack["observers"] == 4


def test_handler_crash_answers_desync_and_keeps_worker(app, team, sockets, monkeypatch):
    sock = sockets(team["member"])
    core = sock.core()
    engine = app.extensions["coedit"].engine

    def boom(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(engine, "sync", boom)
    core.edit(core.text + " lost?")
    assert error_code(sock.call("sync", core.sync_payload())) == "desync"
    monkeypatch.undo()
    assert sock.sync(core)["ok"]  # rejoins and re-applies the typed text
    assert stored(team["document"])[0].endswith(" lost?")


def test_python_client_raises_the_refusal_code(team, live_server):
    """The project's own client turns a refused connection into SyncRefused(code, message)."""
    from tests.support.coedit_client import SocketClient, SyncRefused

    client = SocketClient(live_server, "declaration", "en", token="agora_not-a-token", timeout=5)
    with pytest.raises(SyncRefused) as refused:
        client.connect()
    assert refused.value.code == "unauthenticated"
    assert "token" in refused.value.message
    client.sio.disconnect()
    foreign = SocketClient(
        live_server, "declaration", "en", mode="follow", headers={"Origin": "http://evil.example"}
    )
    with pytest.raises(SyncRefused) as refused:
        foreign.connect()
    assert refused.value.code == "forbidden"
    foreign.sio.disconnect()
