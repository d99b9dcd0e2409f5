"""One decision per amendment, however many arrive at once (SQLite and PostgreSQL alike).

A double click on Accept once made two versions and pasted an inserted paragraph twice into
the live draft; ten parallel accepts made ten versions.
"""

import json
import threading
import urllib.error
import urllib.request

from sqlalchemy import func, select

from app.amendments.models import Amendment
from app.coedit.queries import live_state
from app.coedit.services import get_or_create_live_text
from app.documents.models import Version
from app.extensions import db

REASON = {"reason": "Agreed in the drafting group."}


def _parallel(calls: list[tuple[str, str, str, dict | None]]) -> list[tuple[int, dict]]:
    """Send every (method, url, token, body) at the same instant; answers in call order."""
    barrier = threading.Barrier(len(calls))
    answers: list = [None] * len(calls)

    def send(index, method, url, token, body):
        request = urllib.request.Request(
            url,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answers[index] = (response.status, json.loads(response.read() or b"{}"))
        except urllib.error.HTTPError as error:
            answers[index] = (error.code, json.loads(error.read() or b"{}"))

    threads = [
        threading.Thread(target=send, args=(index, *call)) for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def _fresh_token(make_token, user) -> str:
    """A token already marked as used: its first use would write at the start of every parallel
    request and so queue them one behind another, hiding the race under test."""
    from app.accounts.models import ApiToken
    from app.core.timeutil import utcnow

    plain = make_token(user)
    for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)):
        token.last_used_at = utcnow()
    db.session.commit()
    return plain


def _versions(document) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).select_from(Version).where(Version.document_id == document.id)
    )


def test_ten_parallel_accepts_make_one_version(world, propose, live_server, make_token):
    get_or_create_live_text(world.document)
    db.session.commit()
    inserted = "A new paragraph that the drafting team agreed to add."
    amendment = propose(kind="insert", index=0, text=inserted)
    token = _fresh_token(make_token, world.coordinator)
    url = f"{live_server}/api/amendments/{amendment.id}/accept"
    answers = _parallel([("POST", url, token, REASON)] * 10)

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * 9, answers
    refused = [body["error"]["code"] for status, body in answers if status == 409]
    assert set(refused) == {"not_pending"}
    assert _versions(world.document) == 2
    current = db.session.scalars(
        select(Version).where(Version.document_id == world.document.id).order_by(Version.number)
    ).all()[-1]
    assert [p.text for p in current.paragraphs].count(inserted) == 1
    text, _rev = live_state(world.document, world.document.language)
    assert text.count(inserted) == 1
    stored = db.session.get(Amendment, amendment.id)
    assert stored.status == "accepted" and stored.merged_version_id == current.id


def test_accept_and_reject_at_once_leave_one_decision(world, propose, live_server, make_token):
    amendment = propose()
    url = f"{live_server}/api/amendments/{amendment.id}"
    token = _fresh_token(make_token, world.coordinator)
    calls = [("POST", f"{url}/accept", token, REASON), ("POST", f"{url}/reject", token, REASON)]
    answers = _parallel(calls * 4)

    assert sorted(status for status, _ in answers) == [200] + [409] * 7, answers
    db.session.expire_all()
    stored = db.session.get(Amendment, amendment.id)
    assert stored.status in ("accepted", "rejected")
    assert _versions(world.document) == (2 if stored.status == "accepted" else 1)


def test_parallel_accepts_of_different_amendments_number_versions_in_turn(
    world, propose, live_server, make_token
):
    first = propose(index=1)
    second = propose(index=2, text="The second paragraph, as the delegations rewrote it.")
    token = _fresh_token(make_token, world.admin)
    answers = _parallel(
        [
            ("POST", f"{live_server}/api/amendments/{first.id}/accept", token, REASON),
            ("POST", f"{live_server}/api/amendments/{second.id}/accept", token, REASON),
        ]
    )
    assert [status for status, _ in answers] == [200, 200], answers
    assert sorted(body["version"]["number"] for _, body in answers) == [2, 3]
    assert _versions(world.document) == 3
    current = db.session.scalars(
        select(Version).where(Version.document_id == world.document.id).order_by(Version.number)
    ).all()[-1]
    texts = [p.text for p in current.paragraphs]
    assert first.text in texts and second.text in texts


def test_parallel_withdrawals_answer_once(world, propose, live_server, make_token):
    amendment = propose()
    token = _fresh_token(make_token, world.proposer)
    url = f"{live_server}/api/amendments/{amendment.id}/withdraw"
    answers = _parallel([("POST", url, token, REASON)] * 6)
    assert sorted(status for status, _ in answers) == [200] + [409] * 5, answers
    db.session.expire_all()
    assert db.session.get(Amendment, amendment.id).status == "withdrawn"
