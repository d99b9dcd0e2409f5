"""Every decision on an amendment carries a public reason: required, shown, in the feed."""

import pytest
from flask import g

from app.amendments.models import Amendment
from app.extensions import db


@pytest.fixture
def api(app, world, make_token):
    client = app.test_client()
    tokens = {name: make_token(getattr(world, name)) for name in ("proposer", "coordinator")}

    def call(path, who, **kwargs):
        g.pop("api_user", None)
        return client.post(path, headers={"Authorization": f"Bearer {tokens[who]}"}, **kwargs)

    return call


@pytest.mark.parametrize(
    "action, who",
    [
        ("accept", "coordinator"),
        ("reject", "coordinator"),
        ("request-rebase", "coordinator"),
        ("withdraw", "proposer"),
    ],
)
@pytest.mark.parametrize("body", [None, {}, {"reason": ""}, {"reason": "   "}])
def test_a_decision_without_a_reason_is_refused(api, propose, world, action, who, body):
    amendment = propose()
    kwargs = {"json": body} if body is not None else {}
    response = api(f"/api/amendments/{amendment.id}/{action}", who, **kwargs)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "reason_required"
    db.session.expire_all()
    assert db.session.get(Amendment, amendment.id).status == "proposed"
    assert world.document.current_version.number == 1


def test_a_reason_that_is_not_text_is_refused(api, propose):
    amendment = propose()
    response = api(f"/api/amendments/{amendment.id}/reject", "coordinator", json={"reason": 5})
    assert response.status_code == 400


def test_the_decision_and_its_reason_are_public(api, propose, world, client):
    amendment = propose()
    reason = "The Plenary kept the agreed language of 2025."
    response = api(f"/api/amendments/{amendment.id}/reject", "coordinator", json={"reason": reason})
    assert response.status_code == 200
    decision = response.get_json()["decision"]
    assert decision["status"] == "rejected" and decision["reason"] == reason
    assert decision["by"]["name"] == world.coordinator.name and decision["at"]

    shown = client.get(f"/api/amendments/{amendment.id}").get_json()
    assert shown["decision"]["reason"] == reason
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert reason in page and 'id="decision"' in page
    feed = client.get(f"/documents/{world.document.slug}/decisions.atom")
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    text = feed.get_data(as_text=True)
    assert f"Amendment #{amendment.id}" in text and "rejected" in text and reason in text


def test_asking_for_a_rebase_sends_the_amendment_back(api, propose):
    amendment = propose()
    reason = "Please write it against Rev.2, which moved this sentence."
    response = api(
        f"/api/amendments/{amendment.id}/request-rebase", "coordinator", json={"reason": reason}
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "conflict"
    assert response.get_json()["decision"]["reason"] == reason
    again = api(
        f"/api/amendments/{amendment.id}/request-rebase", "coordinator", json={"reason": reason}
    )
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "needs_rebase"
    # The proposer may not ask for it; only those who decide.
    assert (
        api(
            f"/api/amendments/{amendment.id}/request-rebase", "proposer", json={"reason": "x"}
        ).status_code
        == 403
    )


def test_the_page_form_asks_for_a_reason(app, world, propose, login):
    amendment = propose()
    client = login(app.test_client(), world.coordinator)
    refused = client.post(f"/amendments/{amendment.id}/reject", data={}, follow_redirects=True)
    assert "Give a reason for the decision" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Amendment, amendment.id).status == "proposed"
    done = client.post(
        f"/amendments/{amendment.id}/accept",
        data={"reason": "Consensus in the room."},
        follow_redirects=True,
    )
    assert "Rev.2 created" in done.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Amendment, amendment.id)
    assert stored.status == "accepted" and stored.decision_reason == "Consensus in the room."
