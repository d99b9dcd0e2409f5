"""The audit log: an append-only entry for every decision, role, membership, group,
verification and moderation change; public where its object is public."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DatabaseError

from app.accounts import groups
from app.accounts import services as accounts
from app.amendments import services as amendments
from app.audit.models import AppendOnly, AuditEntry
from app.bodies import selections
from app.bodies import services as bodies
from app.core import signals
from app.core.timeutil import utcnow
from app.discussion import services as discussion
from app.extensions import db
from app.moderation import services as moderation


def _actions(kind=None, ident=None) -> list[str]:
    query = select(AuditEntry.action).order_by(AuditEntry.id)
    if kind:
        query = query.where(AuditEntry.object_kind == kind, AuditEntry.object_id == str(ident))
    return list(db.session.scalars(query))


@pytest.fixture
def scene(make_user, make_body, make_document):
    admin = make_user("government", admin=True, name="Ada Admin")
    person = make_user("civil_society", name="Pia Person")
    body = make_body("Open forum", kind="working_group", team_role=None, coordinators=[admin])
    document = make_document(owner=body)
    return admin, person, body, document


def test_every_kind_of_change_is_recorded(scene):
    admin, person, body, document = scene
    # Decision on an amendment.
    amendment = amendments.propose_amendment(
        document,
        person,
        kind="modify",
        paragraph=document.current_version.paragraphs[1].key,
        text="Changed text of the paragraph.",
        rationale="Why not",
    )
    # The amendments domain announces each decision with its reason (app/core/signals.py).
    signals.amendment_decided.send(
        amendment,
        actor=admin,
        decision="rejected",
        reason="Out of the document's scope",
        before="proposed",
        version=None,
    )
    # Membership and role.
    bodies.join_body(person, body)
    bodies.set_role(body, person.id, "coordinator", actor=admin)
    # Selection.
    now = utcnow()
    selection = selections.open_selection(
        body,
        admin,
        title="Coordinators",
        seats=1,
        nomination_ends_at=now + timedelta(days=1),
        voting_ends_at=now + timedelta(days=2),
    )
    # Profile, group, verification.
    accounts.update_profile(person, name="Pia P. Person", organization="Org", country="KE")
    request = groups.request_group_change(person, "government")
    groups.confirm_group_change(request, admin)
    groups.set_verified(person, admin, True)
    # Moderation.
    topic = discussion.start_topic(admin, title="T", text="Words", body=body)
    report = moderation.file_report(person, f"post:{topic.messages[0].id}", "Rude")
    moderation.hide_report(report, admin, "Off topic")
    second = moderation.file_report(admin, f"user:{person.id}", "Fake")
    moderation.dismiss_report(second, admin, "Real person")
    db.session.commit()

    assert _actions("amendment", amendment.id) == ["amendment.rejected"]
    decision = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "amendment.rejected")
    )
    assert decision.before == {"status": "proposed"}
    assert decision.after["reason"] == "Out of the document's scope"
    assert _actions("body", body.id) == ["membership.joined", "membership.role"]
    assert _actions("selection", selection.id) == ["selection.opened"]
    assert _actions("user", person.id) == [
        "profile.changed",
        "group.requested",
        "group.confirmed",
        "verification.granted",
    ]
    assert _actions("post", topic.messages[0].id) == ["moderation.hidden"]
    assert _actions("report", report.id) == ["report.filed", "report.hidden"]
    assert _actions("report", second.id) == ["report.filed", "report.dismissed"]

    confirmed = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "group.confirmed"))
    assert confirmed.actor_id == admin.id and confirmed.actor_name == "Ada Admin"
    assert confirmed.before["group"] == "civil_society"
    assert confirmed.after["group"] == "government"
    profile = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "profile.changed"))
    assert profile.before == {"name": "Pia Person", "organization": "Test organization"}
    assert profile.after == {"name": "Pia P. Person", "organization": "Org"}
    role = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "membership.role"))
    assert role.before["role"] == "member" and role.after["role"] == "coordinator"


def test_entries_are_append_only(scene):
    admin, person, _, _ = scene
    groups.set_verified(person, admin, True)
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry))
    entry.action = "forged"
    with pytest.raises(AppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalar(select(AuditEntry)))
    with pytest.raises(AppendOnly):
        db.session.commit()
    db.session.rollback()
    # The database refuses too, whatever path the statement takes.
    for statement in (
        update(AuditEntry).values(action="forged"),
        delete(AuditEntry),
        text("UPDATE audit_entry SET actor_name = 'someone else'"),
    ):
        with pytest.raises(DatabaseError):
            db.session.execute(statement)
        db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1
    assert db.session.scalar(select(AuditEntry.action)) == "verification.granted"


def test_public_trail_of_a_public_object_and_the_complete_view(client, scene, make_token, login):
    admin, person, body, _ = scene
    topic = discussion.start_topic(admin, title="T", text="Words", body=body)
    report = moderation.file_report(person, f"post:{topic.messages[0].id}", "Rude")
    moderation.hide_report(report, admin, "Off topic")
    groups.set_verified(person, admin, True)
    db.session.commit()

    trail = client.get(f"/api/audit?object=post:{topic.messages[0].id}").get_json()
    assert [e["action"] for e in trail["entries"]] == ["moderation.hidden"]
    assert trail["entries"][0]["after"] == {"hidden": True, "reason": "Off topic"}
    assert trail["entries"][0]["actor"] is None  # "hidden by a moderator"
    user_trail = client.get(f"/api/audit?object=user:{person.id}").get_json()
    assert [e["action"] for e in user_trail["entries"]] == ["verification.granted"]
    assert user_trail["entries"][0]["actor"]["name"] == "Ada Admin"
    assert client.get(f"/api/audit?object=body:{body.slug}").status_code == 200

    # Reports are not public: who reported what stays with the moderators.
    assert client.get(f"/api/audit?object=report:{report.id}").status_code == 404
    assert client.get("/api/audit").get_json()["error"]["code"] == "object_required"
    assert client.get("/api/audit?object=nonsense").status_code == 400
    plain = {"Authorization": f"Bearer {make_token(person)}"}
    assert client.get("/api/audit", headers=plain).status_code == 403

    full = {"Authorization": f"Bearer {make_token(admin)}"}
    everything = client.get("/api/audit", headers=full).get_json()
    assert everything["total"] == 4
    assert {e["action"] for e in everything["entries"]} == {
        "report.filed",
        "report.hidden",
        "moderation.hidden",
        "verification.granted",
    }
    private = client.get(f"/api/audit?object=report:{report.id}", headers=full).get_json()
    assert [e["public"] for e in private["entries"]] == [False, False]
    hidden = client.get("/api/audit?action=moderation", headers=full).get_json()["entries"]
    assert hidden[0]["actor"]["name"] == "Ada Admin"

    login(client, person)
    assert client.get("/admin/audit").status_code == 403
    login(client, admin)
    page = client.get("/admin/audit?action=report").get_data(as_text=True)
    assert "report.filed" in page and "report.hidden" in page
    assert "verification.granted" not in page
    assert client.get("/admin/audit?actor=abc").status_code == 400
