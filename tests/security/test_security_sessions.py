"""Changing the password or the e-mail ends every other session and the sockets they opened."""

import pytest

from app.accounts.models import User
from app.core import signals
from app.extensions import db, socketio
from tests.support.coedit_client import NAMESPACE, SyncClient

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a different long passphrase"


def _signed_in(app, email, password=PASSWORD):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    return client


def _change_password(client):
    return client.post(
        "/profile/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )


def test_password_change_ends_other_sessions_and_keeps_this_one(app, make_user):
    user = make_user(email="lina@example.org")
    here, elsewhere = _signed_in(app, user.email), _signed_in(app, user.email)
    sent = []
    with signals.credentials_changed.connected_to(lambda sender, **kw: sent.append(kw)):
        assert _change_password(here).status_code == 302
    assert sent == [{"what": "password"}]
    assert here.get("/profile").status_code == 200
    ended = elsewhere.get("/profile")
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]
    # The new password works, the old one does not.
    _signed_in(app, user.email, NEW_PASSWORD)
    again = app.test_client().post("/login", data={"email": user.email, "password": PASSWORD})
    assert again.status_code == 400


def test_wrong_current_password_changes_nothing(app, make_user):
    user = make_user(email="lina@example.org")
    here, elsewhere = _signed_in(app, user.email), _signed_in(app, user.email)
    response = here.post(
        "/profile/password",
        data={"current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert elsewhere.get("/profile").status_code == 200


def test_email_change_needs_the_password_and_ends_other_sessions(app, make_user):
    user = make_user(email="lina@example.org")
    here, elsewhere = _signed_in(app, user.email), _signed_in(app, user.email)
    refused = here.post(
        "/profile/email", data={"new_email": "lina@new.example.org", "email_password": "wrong!"}
    )
    assert refused.status_code == 400 and b"current password is not correct" in refused.data
    assert elsewhere.get("/profile").status_code == 200

    sent = []
    with signals.credentials_changed.connected_to(lambda sender, **kw: sent.append(kw)):
        response = here.post(
            "/profile/email",
            data={"new_email": "Lina@New.Example.org", "email_password": PASSWORD},
        )
    assert response.status_code == 302
    assert sent == [{"what": "email", "old_email": "lina@example.org"}]
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "lina@new.example.org"
    assert b"lina@new.example.org" in here.get("/profile").data
    assert elsewhere.get("/profile").status_code == 302
    _signed_in(app, "lina@new.example.org")


def test_email_change_to_a_taken_address_is_refused_without_naming_the_owner(app, make_user):
    user = make_user(email="lina@example.org")
    make_user(email="taken@example.org", name="Someone Else")
    here = _signed_in(app, user.email)
    response = here.post(
        "/profile/email", data={"new_email": "taken@example.org", "email_password": PASSWORD}
    )
    assert response.status_code == 400
    assert b"cannot be used" in response.data and b"Someone Else" not in response.data
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "lina@example.org"


@pytest.fixture
def drafting(make_user, make_body, make_document):
    member = make_user(group="government", email="member@example.org")
    body = make_body("Drafting team", members=[member])
    document = make_document(owner=body, slug="declaration")
    return member, document


def _socket(app, flask_client):
    return socketio.test_client(app, namespace=NAMESPACE, flask_test_client=flask_client)


def test_open_socket_of_an_ended_session_is_refused_at_its_next_event(app, drafting):
    member, _ = drafting
    app.config["COEDIT_CHANGED_COALESCE"] = 0
    elsewhere, here = _signed_in(app, member.email), _signed_in(app, member.email)
    sock = _socket(app, elsewhere)
    try:
        assert sock.is_connected(NAMESPACE)
        core = SyncClient("declaration", "en", "edit")
        core.on_join(sock.emit("join", core.join_payload(), namespace=NAMESPACE, callback=True))
        core.edit(core.text + " Stored.")
        ack = sock.emit("sync", core.sync_payload(), namespace=NAMESPACE, callback=True)
        assert ack["ok"]
        core.on_sync(ack)

        assert _change_password(here).status_code == 302

        core.edit(core.text + " Refused.")
        ack = sock.emit("sync", core.sync_payload(), namespace=NAMESPACE, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "unauthenticated"
        cursor_refused = sock.emit("join", core.join_payload(), namespace=NAMESPACE, callback=True)
        assert cursor_refused["ok"] is False
    finally:
        if sock.is_connected(NAMESPACE):
            sock.disconnect(NAMESPACE)
    from app.coedit.models import LiveText

    db.session.expire_all()
    text = db.session.query(LiveText).one().text
    assert "Stored." in text and "Refused." not in text
