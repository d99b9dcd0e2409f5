"""Garbage on the co-editing socket gets an error code in the ack, never an unexpected failure.

Every /coedit event (join, sync, cursor, leave) is sent payloads of wrong types and sizes by a
drafting team member and by an anonymous visitor; each ack must be {"ok": true, ...} or
{"ok": false, "error": {"code", "message"}}, and no handler may fail unexpectedly (the handlers
log those and answer "desync", which is for lost state, not for bad input).
"""

import logging

import pytest

from app.extensions import socketio
from tests.support.coedit_client import NAMESPACE

DOC, LANG = "declaration", "en"
EVENTS = ("join", "sync", "cursor", "leave")

WRONG_VALUES = [None, True, -1, 2**70, 1.5, "", "x" * 5000, "<script>", [], [1, "a"], {"a": {}}]
TOP_LEVEL = [None, [], ["doc"], "declaration", 42, True, {}]


def _payloads(event):
    """Payloads whose every field in turn takes each wrong value, around a valid base."""
    base = {"doc": DOC, "lang": LANG, "mode": "edit", "m": 0, "edits": [], "offset": 0, "end": 0}
    payloads = list(TOP_LEVEL)
    for field in ("doc", "lang", "mode", "client_id", "m", "edits", "offset", "end"):
        for value in WRONG_VALUES:
            payloads.append({**base, field: value})
    for edit in (
        None,
        5,
        "x",
        {},
        {"n": "0", "delta": "=1"},
        {"n": 0, "delta": 5},
        {"n": -1, "delta": "=1"},
        {"n": 0, "delta": "=99999\t+abc"},
        {"n": 0, "delta": "+%ZZ%\t-1"},
        {"n": 0, "delta": "?bad\tdelta"},
        {"n": 0, "delta": "-99999"},
        {"n": 0, "delta": "=-5"},
        {"n": 2**62, "delta": "+x"},
        {"n": 0, "delta": "+" + "x" * 300_000},
    ):
        payloads.append({**base, "edits": [edit]})
    payloads.append({**base, "edits": [{"n": 0, "delta": "+a"}] * 1001})
    return payloads


class _Catcher(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def team(make_user, make_body, make_document):
    member = make_user(group="government", name="Member Person")
    body = make_body("Drafting team", members=[member])
    make_document(owner=body, slug=DOC)
    return member


def _connect(app, login, user=None):
    flask_client = app.test_client()
    if user is not None:
        login(flask_client, user)
    return socketio.test_client(app, namespace=NAMESPACE, flask_test_client=flask_client)


def _check_ack(event, payload, ack, problems):
    label = f"{event} {repr(payload)[:100]}"
    if event == "cursor" and ack in ([], None):
        return  # docs/coedit-protocol.md: cursor is a presence update, "no answer needed"
    if not isinstance(ack, dict):
        problems.append(f"{label}: ack {ack!r} is not an object")
        return
    if ack.get("ok") is True:
        return
    error = ack.get("error")
    if (
        ack.get("ok") is not False
        or not isinstance(error, dict)
        or not (isinstance(error.get("code"), str) and isinstance(error.get("message"), str))
    ):
        problems.append(f"{label}: ack {repr(ack)[:150]} has no error code and message")


@pytest.mark.parametrize("who", ["member", "anonymous"])
def test_socket_events_answer_garbage_with_error_codes(app, login, team, who):
    app.config["COEDIT_MAX_SYNCS_PER_SECOND"] = 100_000  # garbage, not rate limits, under test
    app.config["COEDIT_CHANGED_COALESCE"] = 0
    catcher = _Catcher()
    logging.getLogger("app").addHandler(catcher)
    logging.getLogger("app.coedit").addHandler(catcher)
    sock = _connect(app, login, team if who == "member" else None)
    problems = []
    try:
        assert sock.is_connected(NAMESPACE)
        for event in EVENTS:
            for payload in _payloads(event):
                # A valid join first, so that sync and cursor reach their own validation.
                sock.emit(
                    "join",
                    {"doc": DOC, "lang": LANG, "mode": "edit"},
                    namespace=NAMESPACE,
                    callback=True,
                )
                logged = len(catcher.records)
                ack = sock.emit(event, payload, namespace=NAMESPACE, callback=True)
                _check_ack(event, payload, ack, problems)
                for record in catcher.records[logged:]:
                    if record.exc_info:
                        problems.append(
                            f"{event} {repr(payload)[:100]}: unexpected "
                            f"{record.exc_info[0].__name__}: {record.exc_info[1]}"
                        )
            sock.get_received(NAMESPACE)
    finally:
        logging.getLogger("app").removeHandler(catcher)
        logging.getLogger("app.coedit").removeHandler(catcher)
        if sock.is_connected(NAMESPACE):
            sock.disconnect(NAMESPACE)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:30])


def test_socket_connect_with_garbage_auth_is_refused_not_crashed(app):
    for auth in ({"token": "nope"}, {"token": 5}, {"token": ["a"]}, {"token": None}, "token", [1]):
        sock = socketio.test_client(app, namespace=NAMESPACE, auth=auth)
        try:
            assert not sock.is_connected(NAMESPACE), auth
        finally:
            if sock.is_connected(NAMESPACE):
                sock.disconnect(NAMESPACE)
