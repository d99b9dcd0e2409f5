"""Follows, events turned into notifications, preferences and digests, through the API."""

import pytest
from sqlalchemy import select

from app.core import signals
from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.models import OutboxMail
from app.notifications.models import Follow, Notification
from app.notifications.services import follow


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def _verified(make_user, **kwargs):
    user = make_user(**kwargs)
    user.email_verified_at = utcnow()
    db.session.commit()
    return user


def _notification_mails(user):
    return list(
        db.session.scalars(
            select(OutboxMail).where(
                OutboxMail.recipient == user.email, OutboxMail.kind.like("notification%")
            )
        )
    )


def _propose(document, user, text="All parties guarantee access to information."):
    from app.amendments.services import propose_amendment

    key = document.current_version.paragraphs[1].key
    amendment = propose_amendment(
        document, user, kind="modify", paragraph=key, text=text, rationale="Clearer."
    )
    db.session.commit()
    return amendment


def test_follow_list_and_unfollow_by_api(app, client, make_user, make_token, make_document):
    user = make_user()
    token = make_token(user)
    document = make_document(slug="declaration")
    response = client.post(
        "/api/follows", json={"kind": "document", "id": "declaration"}, headers=_auth(token)
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["kind"] == "document" and body["target_id"] == document.id
    listed = client.get("/api/follows", headers=_auth(token)).get_json()["follows"]
    assert [f["id"] for f in listed] == [body["id"]]
    assert client.delete(f"/api/follows/{body['id']}", headers=_auth(token)).status_code == 204
    assert client.get("/api/follows", headers=_auth(token)).get_json()["follows"] == []


def test_follow_api_refuses_bad_input_clearly(app, client, make_user, make_token):
    token = make_token(make_user())
    for payload, status in [
        ({"kind": "planet", "id": 1}, 400),
        ({"kind": "document", "id": "nope"}, 404),
        ({"kind": "amendment", "id": 10**30}, 404),
        ({"kind": "thread", "id": [1]}, 400),
        ({"kind": "body"}, 400),
    ]:
        response = client.post("/api/follows", json=payload, headers=_auth(token))
        assert response.status_code == status, payload
        assert "error" in response.get_json()
    assert client.post("/api/follows", json={"kind": "body", "id": 1}).status_code == 401
    other = make_token(make_user())
    mine = follow(make_user().id, "document", 1)
    db.session.commit()
    assert client.delete(f"/api/follows/{mine.id}", headers=_auth(other)).status_code == 404


def test_proposal_notifies_document_followers_and_auto_follows(
    app, client, make_user, make_token, make_document
):
    reader = _verified(make_user)
    proposer = make_user()
    document = make_document()
    follow(reader.id, "document", document.id)
    db.session.commit()
    amendment = _propose(document, proposer)

    data = client.get("/api/me/notifications", headers=_auth(make_token(reader))).get_json()
    assert data["unread"] == 1
    (item,) = data["notifications"]
    assert item["kind"] == "amendment_proposed" and item["read"] is False
    assert item["url"] == f"/amendments/{amendment.id}"
    assert len(_notification_mails(reader)) == 1
    auto = db.session.scalar(select(Follow).where(Follow.user_id == proposer.id))
    assert (auto.target_kind, auto.target_id, auto.is_automatic) == (
        "amendment",
        amendment.id,
        True,
    )


def test_decision_reaches_proposer_and_supporters_with_its_reason(app, make_user, make_document):
    from app.amendments.services import set_position

    proposer, supporter, decider = make_user(), make_user(group="government"), make_user()
    document = make_document()
    amendment = _propose(document, proposer)
    set_position(amendment, supporter, "support")
    db.session.commit()
    signals.amendment_decided.send(
        amendment, actor=decider, decision="rejected", reason="Out of scope.", before="proposed"
    )
    db.session.commit()
    rows = list(
        db.session.scalars(select(Notification).where(Notification.kind == "amendment_decided"))
    )
    assert {r.user_id for r in rows} == {proposer.id, supporter.id}
    assert all("Out of scope." in r.text for r in rows)


def test_conflict_asks_only_the_proposer_to_rebase(app, make_user, make_document):
    proposer, follower = make_user(), make_user()
    document = make_document()
    amendment = _propose(document, proposer)
    follow(follower.id, "amendment", amendment.id)
    db.session.commit()
    signals.amendment_decided.send(
        amendment, actor=None, decision="conflict", reason="", before="proposed"
    )
    db.session.commit()
    rows = list(
        db.session.scalars(select(Notification).where(Notification.kind == "amendment_conflict"))
    )
    assert [r.user_id for r in rows] == [proposer.id]


def test_comment_notifies_amendment_followers(app, make_user, make_document):
    from app.amendments.proceedings import add_comment

    proposer, commenter = make_user(), make_user()
    document = make_document()
    amendment = _propose(document, proposer)
    add_comment(amendment, commenter, "I agree with the direction.")
    db.session.commit()
    (row,) = db.session.scalars(select(Notification).where(Notification.kind == "comment"))
    assert row.user_id == proposer.id
    assert db.session.scalar(
        select(Follow).where(Follow.user_id == commenter.id, Follow.target_kind == "amendment")
    )


def test_membership_request_notifies_coordinators(app, make_user, make_body, client, login):
    coordinator, newcomer = make_user(), make_user()
    body = make_body("Closed team", kind="team", coordinators=[coordinator], is_open=False)
    login(client, newcomer)
    client.post(f"/bodies/{body.slug}/request")
    rows = list(
        db.session.scalars(select(Notification).where(Notification.kind == "membership_request"))
    )
    assert [r.user_id for r in rows] == [coordinator.id]


def test_preferences_change_only_named_fields_and_drive_mail(
    app, client, make_user, make_token, make_document
):
    reader = _verified(make_user)
    token = make_token(reader)
    prefs = client.get("/api/me/preferences", headers=_auth(token)).get_json()
    assert prefs == {
        "email": "immediately", "kinds": {}, "ui_language": None,
        "list_mail": True, "email_verified": True,
    }  # fmt: skip
    response = client.put("/api/me/preferences", json={"email": "daily"}, headers=_auth(token))
    assert response.get_json()["email"] == "daily" and response.get_json()["list_mail"] is True
    response = client.put(
        "/api/me/preferences",
        json={"ui_language": "fr", "list_mail": False, "kinds": {"amendment_proposed": "off"}},
        headers=_auth(token),
    )
    assert response.get_json() == {
        "email": "daily", "kinds": {"amendment_proposed": "off"}, "ui_language": "fr",
        "list_mail": False, "email_verified": True,
    }  # fmt: skip
    for bad in (
        {"email": "hourly"},
        {"ui_language": "xx"},
        {"list_mail": "yes"},
        {"kinds": {"x": "off"}},
    ):
        assert client.put("/api/me/preferences", json=bad, headers=_auth(token)).status_code == 400

    document = make_document()
    follow(reader.id, "document", document.id)
    db.session.commit()
    _propose(document, make_user())  # kind turned off: in the app only
    assert _notification_mails(reader) == []
    signals.amendment_period_changed.send(document, actor=None, opened=False)  # daily
    db.session.commit()
    assert _notification_mails(reader) == []


def test_daily_digest_gathers_notifications_once(app, runner, make_user, make_document):
    reader = _verified(make_user)
    from app.notifications.services import update_preferences

    update_preferences(reader, {"email": "daily"})
    document = make_document()
    follow(reader.id, "document", document.id)
    db.session.commit()
    _propose(document, make_user())
    signals.amendment_period_changed.send(document, actor=None, opened=False)
    db.session.commit()

    result = runner.invoke(args=["mail", "digest", "daily"])
    assert "Queued 1 daily digest" in result.output
    digests = list(db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "digest:daily")))
    assert len(digests) == 1 and "2 notifications" in digests[0].subject
    result = runner.invoke(args=["mail", "digest", "daily"])
    assert "Queued 0 daily digest" in result.output


def test_worker_schedules_digests_itself(app, make_user):
    from datetime import timedelta

    from app.mail.models import DigestRun
    from app.notifications.cli import schedule_digests

    schedule_digests()  # first start: the periods begin now
    assert {r.period for r in db.session.scalars(select(DigestRun))} == {"daily", "weekly"}
    daily = db.session.get(DigestRun, "daily")
    daily.ran_at = utcnow() - timedelta(days=1, minutes=1)
    db.session.commit()
    before = db.session.get(DigestRun, "weekly").ran_at
    schedule_digests()
    assert db.session.get(DigestRun, "daily").ran_at > utcnow() - timedelta(minutes=1)
    assert db.session.get(DigestRun, "weekly").ran_at == before


def test_follow_button_and_unread_count_on_pages(app, client, login, make_user, make_document):
    user = make_user()
    document = make_document(slug="declaration")
    login(client, user)
    page = client.get("/documents/declaration").get_data(as_text=True)
    assert 'data-follow="off"' in page
    response = client.post(
        "/follow", data={"kind": "document", "id": "declaration", "next": "/documents/declaration"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/documents/declaration"
    assert 'data-follow="on"' in client.get("/documents/declaration").get_data(as_text=True)
    _propose(document, make_user())
    page = client.get("/").get_data(as_text=True)
    assert 'data-unread="1"' in page
    notifications = client.get("/notifications").get_data(as_text=True)
    assert "amendment #" in notifications
    row = db.session.scalar(select(Notification))
    assert client.get(f"/notifications/{row.id}").status_code == 302
    assert 'data-unread="0"' in client.get("/").get_data(as_text=True)


def test_selection_result_reaches_members_and_followers(app, make_user, make_body):
    member, follower = make_user(), make_user()
    body = make_body("Gender caucus", kind="thematic_caucus", team_role=None, members=[member])
    follow(follower.id, "body", body.id)
    db.session.commit()
    selection = type(
        "S",
        (),
        {"body": body, "body_id": body.id, "title": "Co-chairs", "id": 1, "status": "closed"},
    )()
    result = {"counts": [{"name": "Ana", "elected": True}, {"name": "Bo", "elected": False}]}
    signals.selection_changed.send(selection, actor=None, change="closed", result=result)
    db.session.commit()
    rows = list(db.session.scalars(select(Notification).where(Notification.kind == "selection")))
    assert {r.user_id for r in rows} == {member.id, follower.id}
    assert all(r.text == "Elected: Ana." for r in rows)


def test_demo_activity_notifies_nobody(app, make_user, make_document):
    from app.notifications.services import without_notifications

    reader = make_user()
    document = make_document()
    follow(reader.id, "document", document.id)
    db.session.commit()
    with without_notifications():
        _propose(document, make_user())
    assert db.session.scalar(select(Notification.id)) is None
    _propose(document, make_user(), text="Every party guarantees access to information.")
    assert db.session.scalar(select(Notification.id)) is not None


@pytest.mark.parametrize("kind", [{}, [], 5, None, "nothing"])
def test_follow_with_a_kind_that_is_not_a_known_name_is_refused(app, make_user, make_token, kind):
    user = make_user()
    token = make_token(user)
    response = app.test_client().post(
        "/api/follows", json={"id": 1, "kind": kind}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
