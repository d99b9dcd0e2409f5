"""The API rows of docs/design.md, bad input, and the OpenAPI description."""

import pytest
from flask import g
from sqlalchemy import func, select

from app.amendments.models import Amendment
from app.extensions import db


@pytest.fixture
def api(app, world, make_token):
    client = app.test_client()
    tokens = {
        name: make_token(getattr(world, name))
        for name in ("proposer", "participant", "coordinator", "admin")
    }

    def call(method, path, who="proposer", **kwargs):
        # The test's app context is shared by test-client requests, and so is flask.g, where
        # app.accounts.api_auth caches the token's user: forget it between requests.
        g.pop("api_user", None)
        headers = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
        return getattr(client, method)(path, headers=headers, **kwargs)

    return call


def _amendments():
    return db.session.scalar(select(func.count()).select_from(Amendment))


def test_propose_weigh_accept_through_the_api(api, world):
    path = f"/api/documents/{world.document.slug}/amendments"
    created = api(
        "post",
        path,
        json={
            "kind": "modify",
            "paragraph": world.keys[1],
            "rationale": "Stronger.",
            "text": "The parties shall guarantee access to information for all stakeholders, in every region.",
            "on_behalf_of": "gender-caucus",
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["attribution"] == "Civil society (Gender caucus)"
    assert body["status"] == "proposed" and body["base_version"] == 1
    amendment_id = body["id"]
    assert (
        api(
            "put",
            f"/api/amendments/{amendment_id}/position",
            who="participant",
            json={"stance": "support"},
        ).status_code
        == 200
    )
    changed = api(
        "put",
        f"/api/amendments/{amendment_id}/position",
        who="participant",
        json={"stance": "oppose"},
    ).get_json()
    assert changed["tally"]["groups"]["government"] == {"support": 0, "oppose": 1, "abstain": 0}
    api("put", f"/api/amendments/{amendment_id}/position", json={"stance": "support"})
    shown = api("get", f"/api/amendments/{amendment_id}", who=None).get_json()
    assert shown["tally"]["equal_weight"] == 0.5
    assert shown["tally"]["headcount"] == 0.5
    assert shown["tally"]["consensus"] is False
    withdrawn = api("delete", f"/api/amendments/{amendment_id}/position", who="participant")
    assert withdrawn.get_json()["tally"]["groups"]["government"]["oppose"] == 0
    listed = api("get", path, who=None).get_json()["amendments"]
    assert [a["id"] for a in listed] == [amendment_id]
    assert api("get", path + "?group=government", who=None).get_json()["amendments"] == []
    assert len(api("get", path + "?body=gender-caucus", who=None).get_json()["amendments"]) == 1

    accepted = api(
        "post",
        f"/api/amendments/{amendment_id}/accept",
        who="coordinator",
        json={"reason": "Agreed."},
    )
    assert accepted.status_code == 200
    assert accepted.get_json()["version"]["number"] == 2
    document = api("get", f"/api/amendments/{amendment_id}", who=None).get_json()
    assert document["merged_version"] == 2 and document["status"] == "accepted"


def test_accept_conflict_answers_409_and_keeps_the_status(api, world):
    from app.documents.services import append_version

    amendment_id = api(
        "post",
        f"/api/documents/{world.document.slug}/amendments",
        json={
            "kind": "modify",
            "paragraph": world.keys[1],
            "rationale": "r",
            "text": "The parties shall guarantee access to information for all stakeholders, in every region.",
        },
    ).get_json()["id"]
    texts = [p.text for p in world.document.current_version.paragraphs]
    texts[1] = texts[1].replace("shall ensure", "will promote")
    append_version(world.document, texts, cause="publish", message="edit")
    db.session.commit()
    response = api(
        "post", f"/api/amendments/{amendment_id}/accept", who="admin", json={"reason": "Agreed."}
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict" and error["conflict"]["current_text"] == texts[1]
    assert (
        api("get", f"/api/amendments/{amendment_id}", who=None).get_json()["status"] == "conflict"
    )
    rebased = api(
        "post",
        f"/api/amendments/{amendment_id}/rebase",
        json={"text": texts[1].replace("will promote", "will guarantee")},
    )
    assert rebased.status_code == 200 and rebased.get_json()["status"] == "proposed"
    assert rebased.get_json()["revision"] == 2
    assert (
        api(
            "post",
            f"/api/amendments/{amendment_id}/accept",
            who="admin",
            json={"reason": "Agreed."},
        ).status_code
        == 200
    )


def test_reject_and_withdraw(api, world):
    path = f"/api/documents/{world.document.slug}/amendments"
    first = api("post", path, json={"kind": "delete", "paragraph": world.keys[2], "rationale": "r"})
    second = api(
        "post", path, json={"kind": "insert", "after": None, "text": "Preamble.", "rationale": "r"}
    )
    assert first.status_code == second.status_code == 201
    assert second.get_json()["after"] is None
    rejected = api(
        "post",
        f"/api/amendments/{first.get_json()['id']}/reject",
        who="coordinator",
        json={"reason": "Agreed."},
    )
    assert rejected.get_json()["status"] == "rejected"
    assert (
        api(
            "post", f"/api/amendments/{first.get_json()['id']}/withdraw", json={"reason": "Agreed."}
        ).status_code
        == 409
    )
    withdrawn = api(
        "post", f"/api/amendments/{second.get_json()['id']}/withdraw", json={"reason": "Agreed."}
    )
    assert withdrawn.get_json()["status"] == "withdrawn"
    assert (
        api(
            "put", f"/api/amendments/{second.get_json()['id']}/position", json={"stance": "support"}
        ).status_code
        == 409
    )


@pytest.mark.parametrize(
    "payload, status, code",
    [
        ({"kind": "modify", "paragraph": "K1", "text": "", "rationale": "r"}, 400, "empty_text"),
        ({"kind": "modify", "paragraph": "K1", "text": "   ", "rationale": "r"}, 400, "empty_text"),
        ({"kind": "modify", "paragraph": "K1", "text": "SAME", "rationale": "r"}, 400, "unchanged"),
        (
            {"kind": "modify", "paragraph": "nosuchkey", "text": "x", "rationale": "r"},
            400,
            "unknown_paragraph",
        ),
        (
            {"kind": "insert", "after": "nosuchkey", "text": "x", "rationale": "r"},
            400,
            "unknown_paragraph",
        ),
        (
            {"kind": "modify", "paragraph": "K1", "text": "New words.", "rationale": ""},
            400,
            "rationale_required",
        ),
        ({"kind": "rename", "paragraph": "K1", "text": "x", "rationale": "r"}, 400, "bad_kind"),
        (
            {"kind": "modify", "paragraph": "K1", "text": "x" * 101, "rationale": "r"},
            413,
            "too_large",
        ),
        ({"kind": "modify", "paragraph": "K1", "text": 5, "rationale": "r"}, 400, "bad_request"),
        (
            {
                "kind": "modify",
                "paragraph": "K1",
                "text": "New.",
                "rationale": "r",
                "on_behalf_of": "no-such-body",
            },
            400,
            "unknown_body",
        ),
        (
            {"kind": "modify", "paragraph": "K1", "text": "New.", "rationale": "r", "version": 9},
            400,
            "bad_version",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(app, api, world, payload, status, code):
    app.config["AMENDMENT_MAX_TEXT"] = 100
    paragraph_text = world.document.current_version.paragraphs[1].text
    payload = {
        k: (world.keys[1] if v == "K1" else paragraph_text if v == "SAME" else v)
        for k, v in payload.items()
    }
    response = api("post", f"/api/documents/{world.document.slug}/amendments", json=payload)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["message"]
    assert _amendments() == 0


def test_closed_document_and_old_version(api, world):
    from app.documents.services import append_version

    path = f"/api/documents/{world.document.slug}/amendments"
    texts = [p.text for p in world.document.current_version.paragraphs]
    texts[1] = texts[1].replace("ensure", "promote")
    append_version(world.document, texts, cause="publish", message="edit")
    db.session.commit()
    stale = api(
        "post",
        path,
        json={
            "kind": "modify",
            "paragraph": world.keys[1],
            "version": 1,
            "text": "Something else.",
            "rationale": "r",
        },
    )
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale_version"
    # An old version is fine where the paragraph did not change since.
    fine = api(
        "post",
        path,
        json={
            "kind": "modify",
            "paragraph": world.keys[2],
            "version": 1,
            "text": "Something else.",
            "rationale": "r",
        },
    )
    assert fine.status_code == 201 and fine.get_json()["base_version"] == 2
    world.document.status = "closed"
    db.session.commit()
    closed = api(
        "post",
        path,
        json={"kind": "modify", "paragraph": world.keys[2], "text": "Other.", "rationale": "r"},
    )
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "document_closed"
    assert _amendments() == 1


def test_bad_stance_and_unknown_amendment(api, world):
    amendment_id = api(
        "post",
        f"/api/documents/{world.document.slug}/amendments",
        json={"kind": "delete", "paragraph": world.keys[3], "rationale": "r"},
    ).get_json()["id"]
    response = api("put", f"/api/amendments/{amendment_id}/position", json={"stance": "maybe"})
    assert response.status_code == 400
    assert api("put", f"/api/amendments/{amendment_id}/position", data="x").status_code == 400
    assert api("get", "/api/amendments/999999", who=None).status_code == 404
    assert api("get", "/api/documents/nope/amendments", who=None).status_code == 404


def test_openapi_documents_every_amendment_row(app):
    spec = app.test_client().get("/api/openapi.json").get_json()
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/documents/{slug}/amendments"])
    assert "get" in paths["/api/amendments/{amendment_id}"]
    assert {"put", "delete"} <= set(paths["/api/amendments/{amendment_id}/position"])
    for action in ("accept", "reject", "withdraw", "rebase"):
        assert "post" in paths[f"/api/amendments/{{amendment_id}}/{action}"]
    assert "409" in paths["/api/amendments/{amendment_id}/accept"]["post"]["responses"]
    assert "Tally" in spec["components"]["schemas"]
