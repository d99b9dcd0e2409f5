"""Fixtures of the co-editing server tests: a drafting team's document and socket helpers."""

import pytest

from app.extensions import socketio
from tests.support.coedit_client import NAMESPACE, SyncClient


@pytest.fixture
def team(make_user, make_body, make_document):
    """A document owned by a drafting body: a member, an outsider, an admin, another document."""
    member = make_user(group="government", name="Member Person")
    other_member = make_user(group="civil_society", name="Second Member")
    outsider = make_user(group="private_sector", name="Outside Person")
    admin = make_user(group="international_organization", name="Admin Person", admin=True)
    body = make_body("Drafting team", members=[member, other_member])
    other_body = make_body("Other team", slug="other-team", members=[outsider])
    document = make_document(owner=body, slug="declaration")
    other = make_document(owner=other_body, slug="other-doc", title="Other document")
    return {
        "member": member,
        "other_member": other_member,
        "outsider": outsider,
        "admin": admin,
        "body": body,
        "document": document,
        "other": other,
    }


class Socket:
    """A Flask-SocketIO test client speaking /coedit, optionally driving a SyncClient core."""

    def __init__(self, app, flask_client=None, token=None, headers=None):
        self.raw = socketio.test_client(
            app,
            namespace=NAMESPACE,
            flask_test_client=flask_client,
            auth={"token": token} if token else None,
            headers=headers,
        )

    @property
    def connected(self) -> bool:
        return self.raw.is_connected(NAMESPACE)

    def call(self, event, payload):
        return self.raw.emit(event, payload, namespace=NAMESPACE, callback=True)

    def events(self, name=None):
        received = self.raw.get_received(NAMESPACE)
        return [e for e in received if name is None or e["name"] == name]

    def core(self, doc="declaration", lang="en", mode="edit", push=False) -> SyncClient:
        """A joined client core; without push it speaks the protocol before push mode."""
        core = SyncClient(doc, lang, mode, push=push)
        core.on_join(self.call("join", core.join_payload()))
        return core

    def sync(self, core: SyncClient) -> dict:
        ack = self.call("sync", core.sync_payload())
        if (ack.get("ok") or ack["error"]["code"] == "desync") and not core.on_sync(ack):
            core.on_join(self.call("join", core.join_payload()))
            ack = self.call("sync", core.sync_payload())
            core.on_sync(ack)
        return ack


@pytest.fixture
def sockets(app, login):
    """sockets(user=None, token=None, headers=None) -> a connected Socket (None user: anonymous)."""
    opened = []

    def factory(user=None, token=None, headers=None):
        flask_client = app.test_client()
        if user is not None and token is None:
            login(flask_client, user)
        sock = Socket(app, flask_client, token=token, headers=headers)
        opened.append(sock)
        return sock

    app.config["COEDIT_CHANGED_COALESCE"] = 0
    app.config["COEDIT_PRESENCE_COALESCE"] = 0
    yield factory
    for sock in opened:
        if sock.connected:
            sock.raw.disconnect(NAMESPACE)
