"""Who may do what, through HTTP: forbidden requests answer 403 (or go to login), change nothing."""

import pytest
from sqlalchemy import func, select

from app.amendments.models import Amendment, ParagraphStatus, Position
from app.documents.services import append_version
from app.extensions import db

ROLES = ["anonymous", "participant", "proposer", "coordinator", "other_coordinator", "admin"]
ALLOWED = {
    "propose": {"participant", "proposer", "coordinator", "other_coordinator", "admin"},
    "position": {"participant", "proposer", "coordinator", "other_coordinator", "admin"},
    "accept": {"coordinator", "admin"},
    "reject": {"coordinator", "admin"},
    "withdraw": {"proposer"},
    "rebase": {"proposer"},
    "status": {"coordinator", "admin"},
    "period": {"coordinator", "admin"},
}


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _state(world, amendment_id):
    db.session.expire_all()
    amendment = db.session.get(Amendment, amendment_id)
    return (
        _count(Amendment),
        _count(Position),
        _count(ParagraphStatus),
        amendment.status,
        amendment.revision,
        world.document.current_version.number,
        world.document.status,
    )


def _request(client, action, world, amendment_id):
    slug, key = world.document.slug, world.keys[1]
    if action == "propose":
        return client.post(
            f"/documents/{slug}/amendments/new",
            data={
                "kind": "modify",
                "paragraph": key,
                "text": "Entirely new wording.",
                "rationale": "Clearer.",
                "submit": "1",
            },
        )
    if action == "position":
        return client.post(f"/amendments/{amendment_id}/position", data={"stance": "support"})
    if action == "status":
        return client.post(
            f"/documents/{slug}/paragraphs/{key}/status", data={"status": "bracketed"}
        )
    if action == "period":
        return client.post(f"/documents/{slug}/amendment-period", data={"period": "close"})
    return client.post(f"/amendments/{amendment_id}/{action}", data={"reason": "Agreed."})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_authorization_matrix(app, world, propose, login, role, action):
    amendment = propose()
    # Today's text moved on elsewhere in the paragraph, so a rebase has something to do
    # and an accept still applies cleanly.
    texts = [p.text for p in world.document.current_version.paragraphs]
    texts[1] += " Progress is reviewed yearly."
    append_version(world.document, texts, cause="publish", message="edit")
    db.session.commit()
    amendment_id = amendment.id
    client = app.test_client()
    if role != "anonymous":
        login(client, getattr(world, role))
    before = _state(world, amendment_id)

    response = _request(client, action, world, amendment_id)

    after = _state(world, amendment_id)
    if role in ALLOWED[action]:
        assert response.status_code in (200, 302), response.data[:300]
        assert after != before, f"{role} should be able to {action}"
    else:
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            assert response.status_code == 403
        assert after == before


def test_decider_of_one_document_cannot_decide_on_another(
    app, world, make_body, make_document, make_user, login, make_token
):
    from app.amendments import services

    other_owner = make_body("Other team", coordinators=[world.other_coordinator])
    other_document = make_document(
        ["Other text here.", "Second paragraph."], owner=other_owner, slug="other"
    )
    amendment = services.propose_amendment(
        world.document,
        world.proposer,
        kind="modify",
        paragraph=world.keys[1],
        text="Other wording.",
        rationale="r",
    )
    db.session.commit()
    token = make_token(world.other_coordinator)
    response = app.test_client().post(
        f"/api/amendments/{amendment.id}/accept", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(Amendment, amendment.id).status == "proposed"
    assert other_document.owner_body_id == other_owner.id


def test_api_writes_need_a_token(app, world, propose):
    amendment = propose()
    client = app.test_client()
    for method, path in [
        ("post", f"/api/documents/{world.document.slug}/amendments"),
        ("put", f"/api/amendments/{amendment.id}/position"),
        ("delete", f"/api/amendments/{amendment.id}/position"),
        ("post", f"/api/amendments/{amendment.id}/accept"),
        ("post", f"/api/amendments/{amendment.id}/reject"),
        ("post", f"/api/amendments/{amendment.id}/withdraw"),
        ("post", f"/api/amendments/{amendment.id}/rebase"),
    ]:
        response = getattr(client, method)(path, json={"stance": "support"})
        assert response.status_code == 401, path
    assert _count(Position) == 0 and _count(Amendment) == 1


def test_only_members_speak_for_a_body(app, world, make_token):
    token = make_token(world.participant)  # not a member of the gender caucus
    response = app.test_client().post(
        f"/api/documents/{world.document.slug}/amendments",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "kind": "modify",
            "paragraph": world.keys[1],
            "text": "New.",
            "rationale": "r",
            "on_behalf_of": "gender-caucus",
        },
    )
    assert response.status_code == 403
    assert _count(Amendment) == 0
