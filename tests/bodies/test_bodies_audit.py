"""Creating bodies, bounded ids, a fixed electorate, closing after the vote, cancelling."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.bodies.models import Ballot, Body, Membership, Nomination, Selection
from app.bodies.queries import is_coordinator, is_member
from app.bodies.services import add_member, request_membership
from app.core.timeutil import utcnow
from app.extensions import db

HUGE = "99999999999999999999"


def _count(model):
    return db.session.scalar(select(func.count(model.id)))


# --- 1. creating bodies -----------------------------------------------------------------------


def test_cli_creates_a_working_group_that_can_be_joined(runner, client, login, make_user):
    result = runner.invoke(
        args=[
            "bodies",
            "create",
            "Working group on remote participation",
            "--kind",
            "working_group",
            "--purpose",
            "Drafts the remote participation guidelines.",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "/bodies/working-group-on-remote-participation" in result.output
    body = db.session.scalar(select(Body).where(Body.kind == "working_group"))
    assert body.slug == "working-group-on-remote-participation"
    assert body.is_open and body.purpose == "Drafts the remote participation guidelines."
    person = make_user()
    login(client, person)
    assert client.post(f"/bodies/{body.slug}/join").status_code == 302
    assert is_member(person, body.id)


def test_cli_closed_team_with_role(runner):
    result = runner.invoke(
        args=["bodies", "create", "Outreach team", "--kind", "team", "--team-role", "general"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["bodies", "create", "Press team", "--kind", "team", "--team-role", "general"]
        + ["--closed"]
    )
    assert result.exit_code == 0, result.output
    press = db.session.scalar(select(Body).where(Body.slug == "press-team"))
    assert press.team_role == "general" and press.is_open is False


@pytest.mark.parametrize(
    "args, message",
    [
        (["Group", "--kind", "committee"], "Unknown kind 'committee'"),
        (["A team", "--kind", "team"], "needs a team role"),
        (["A group", "--kind", "working_group", "--team-role", "drafting"], "Only content"),
        (["Environment caucus", "--kind", "thematic_caucus"], "slug 'environment-caucus' exists"),
        (["Other", "--kind", "working_group", "--slug", "plenary"], "slug 'plenary' exists"),
        (["Other", "--kind", "working_group", "--slug", "Not A Slug"], "not a valid slug"),
        (["   ", "--kind", "working_group"], "needs a name"),
    ],
)
def test_cli_create_errors_are_clear_and_store_nothing(runner, seeded, args, message):
    before = _count(Body)
    result = runner.invoke(args=["bodies", "create", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert _count(Body) == before


def _body_form(**overrides):
    data = {
        "name": "Working group on accessibility",
        "kind": "working_group",
        "purpose": "Makes every session accessible.",
        "open": "1",
    }
    data.update(overrides)
    return data


def test_administrator_creates_a_working_group_on_the_page(client, login, make_user):
    admin = make_user(admin=True)
    login(client, admin)
    page = client.get("/bodies").get_data(as_text=True)
    assert "Create a body" in page and 'name="kind"' in page
    response = client.post("/bodies", data=_body_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/bodies/working-group-on-accessibility")
    shown = client.get("/bodies/working-group-on-accessibility").get_data(as_text=True)
    assert "Makes every session accessible." in shown
    # The same name again gets a unique slug.
    assert client.post("/bodies", data=_body_form()).status_code == 302
    slugs = set(db.session.scalars(select(Body.slug)))
    assert {"working-group-on-accessibility", "working-group-on-accessibility-2"} <= slugs
    # A participant joins the new working group.
    person = make_user()
    login(client, person)
    assert client.post("/bodies/working-group-on-accessibility/join").status_code == 302
    body = db.session.scalar(select(Body).where(Body.slug == "working-group-on-accessibility"))
    assert is_member(person, body.id)


def test_closed_body_created_on_the_page_takes_requests(client, login, make_user):
    login(client, make_user(admin=True))
    client.post("/bodies", data=_body_form(name="Legal working group", open="0"))
    body = db.session.scalar(select(Body).where(Body.slug == "legal-working-group"))
    assert body is not None and body.is_open is False
    person = make_user()
    login(client, person)
    assert client.post("/bodies/legal-working-group/join").status_code == 400
    assert client.post("/bodies/legal-working-group/request").status_code == 302
    assert not is_member(person, body.id)


def test_bad_body_form_keeps_what_was_typed(client, login, make_user):
    login(client, make_user(admin=True))
    response = client.post("/bodies", data=_body_form(kind="committee", name="My <b>group</b>"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Unknown kind" in page
    assert 'value="My &lt;b&gt;group&lt;/b&gt;"' in page
    assert _count(Body) == 0


@pytest.mark.parametrize("role", ["anonymous", "participant", "coordinator"])
def test_only_administrators_create_bodies(client, login, make_user, make_body, role):
    if role != "anonymous":
        user = make_user()
        if role == "coordinator":
            make_body("Some caucus", kind="thematic_caucus", coordinators=[user])
        login(client, user)
        assert "Create a body" not in client.get("/bodies").get_data(as_text=True)
    before = _count(Body)
    response = client.post("/bodies", data=_body_form())
    assert response.status_code in ((302, 401, 403) if role == "anonymous" else (403,))
    assert _count(Body) == before


# --- selections -------------------------------------------------------------------------------


@pytest.fixture
def caucus(seeded, make_user, body_of, backdate_memberships):
    people = {
        "member": make_user("government", country="FR"),
        "coordinator": make_user("civil_society", country="KE"),
        "candidate": make_user("civil_society", country="NG"),
        "admin": make_user("international_organization", admin=True),
    }
    body = body_of("environment-caucus")
    add_member(body, people["member"])
    add_member(body, people["coordinator"], coordinator=True)
    db.session.commit()
    backdate_memberships()
    return body, people


def _candidate(selection, user):
    nomination = Nomination(
        selection_id=selection.id,
        nominee_id=user.id,
        nominated_by_id=user.id,
        accepted=True,
        accepted_at=utcnow(),
    )
    db.session.add(nomination)
    db.session.commit()
    return nomination.id


def test_huge_ids_are_clear_errors_not_500(client, login, caucus, make_selection):
    body, people = caucus
    selection = make_selection(body, phase="voting")
    _candidate(selection, people["candidate"])
    login(client, people["member"])
    response = client.post(f"/selections/{selection.id}/vote", data={"nomination": HUGE})
    assert response.status_code == 400
    assert "Choose candidates from the ballot" in response.get_data(as_text=True)
    for bad in ("-1", "0", "1.5", "²"):
        assert (
            client.post(f"/selections/{selection.id}/vote", data={"nomination": bad}).status_code
            == 400
        )
    assert _count(Ballot) == 0
    assert client.get(f"/selections/{HUGE}").status_code == 404
    assert client.post(f"/selections/{HUGE}/vote", data={"nomination": "1"}).status_code == 404
    assert client.post(f"/selections/{selection.id}/nominations/{HUGE}/accept").status_code == 404
    assert client.post(f"/selections/{selection.id}/nominations/{HUGE}/withdraw").status_code == 404
    login(client, people["coordinator"])
    for action in ("approve", "decline"):
        url = f"/bodies/environment-caucus/requests/{action}"
        assert client.post(url, data={"user_id": HUGE}).status_code in (400, 404)


def test_joining_during_the_vote_gives_no_vote(client, login, caucus, make_selection, make_user):
    body, people = caucus
    selection = make_selection(body, phase="voting")
    nomination_id = _candidate(selection, people["candidate"])
    latecomer = make_user()
    login(client, latecomer)
    assert client.post("/bodies/environment-caucus/join").status_code == 302
    assert is_member(latecomer, body.id)
    page = client.get(f"/selections/{selection.id}").get_data(as_text=True)
    assert "before voting opened" in page and "Cast my ballot" not in page
    response = client.post(f"/selections/{selection.id}/vote", data={"nomination": nomination_id})
    assert response.status_code == 403
    assert "before voting opened" in response.get_data(as_text=True)
    assert _count(Ballot) == 0
    # A member from before the vote still votes.
    login(client, people["member"])
    response = client.post(f"/selections/{selection.id}/vote", data={"nomination": nomination_id})
    assert response.status_code == 302
    assert _count(Ballot) == 1


def test_request_approved_during_the_vote_gives_no_vote(
    client, login, seeded, make_user, body_of, make_selection
):
    team = body_of("drafting-team")
    coordinator, applicant, candidate = make_user(), make_user(), make_user()
    add_member(team, coordinator, coordinator=True)
    request_membership(applicant, team)
    db.session.commit()
    # Both asked well before voting opened ...
    for membership in db.session.scalars(select(Membership)):
        membership.created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    selection = make_selection(team, phase="voting")
    nomination_id = _candidate(selection, candidate)
    # ... but the applicant is admitted only now, during the vote.
    login(client, coordinator)
    client.post("/bodies/drafting-team/requests/approve", data={"user_id": applicant.id})
    assert is_member(applicant, team.id)
    login(client, applicant)
    response = client.post(f"/selections/{selection.id}/vote", data={"nomination": nomination_id})
    assert response.status_code == 403
    assert _count(Ballot) == 0


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_closing_waits_for_the_end_of_the_voting_period(
    client, login, caucus, make_selection, set_phase, role
):
    body, people = caucus
    selection = make_selection(body, phase="voting", seats=1, min_south=0)
    _candidate(selection, people["candidate"])
    login(client, people[role])
    page = client.get(f"/selections/{selection.id}").get_data(as_text=True)
    assert "once voting ends" in page and "Close and publish the result" not in page
    response = client.post(f"/selections/{selection.id}/close")
    assert response.status_code == 400
    assert "only once its voting period has ended" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Selection, selection.id).status != "closed"
    assert not is_coordinator(people["candidate"], body.id)
    set_phase(selection, "counting")
    assert "Close and publish the result" in client.get(f"/selections/{selection.id}").get_data(
        as_text=True
    )
    assert client.post(f"/selections/{selection.id}/close").status_code == 302
    db.session.expire_all()
    assert db.session.get(Selection, selection.id).status == "closed"
    assert is_coordinator(people["candidate"], body.id)


def test_selection_without_candidates_is_cancelled(
    client, login, caucus, make_selection, make_user
):
    body, people = caucus
    selection = make_selection(body, phase="counting", seats=1)
    pending = Nomination(
        selection_id=selection.id, nominee_id=people["candidate"].id, accepted=False
    )
    db.session.add(pending)
    db.session.commit()
    members_before = _count(Membership)
    # Nobody accepted: the count cannot assign the seat.
    login(client, people["coordinator"])
    assert client.post(f"/selections/{selection.id}/close").status_code == 400
    # Others may not cancel; a reason is required.
    for outsider in (people["member"], make_user()):
        login(client, outsider)
        assert (
            client.post(f"/selections/{selection.id}/cancel", data={"reason": "x"}).status_code
            == 403
        )
    login(client, people["coordinator"])
    response = client.post(f"/selections/{selection.id}/cancel", data={"reason": "  "})
    assert response.status_code == 400 and "Give the reason" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Selection, selection.id).status != "cancelled"
    response = client.post(
        f"/selections/{selection.id}/cancel", data={"reason": "Nobody accepted a nomination."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    cancelled = db.session.get(Selection, selection.id)
    assert cancelled.status == "cancelled" and cancelled.phase() == "cancelled"
    assert _count(Membership) == members_before
    page = client.get(f"/selections/{selection.id}").get_data(as_text=True)
    assert "Nobody accepted a nomination." in page and "No seat was assigned" in page
    assert "Cancel the selection" not in page
    assert client.post(f"/selections/{selection.id}/close").status_code == 409
    assert (
        client.post(f"/selections/{selection.id}/cancel", data={"reason": "again"}).status_code
        == 409
    )
    body_page = client.get("/bodies/environment-caucus").get_data(as_text=True)
    assert "Cancelled, no seat assigned" in body_page


def test_administrators_cancel_during_voting_and_votes_stop(client, login, caucus, make_selection):
    body, people = caucus
    selection = make_selection(body, phase="voting")
    nomination_id = _candidate(selection, people["candidate"])
    login(client, people["admin"])
    assert (
        client.post(
            f"/selections/{selection.id}/cancel", data={"reason": "The caucus is merging."}
        ).status_code
        == 302
    )
    login(client, people["member"])
    response = client.post(f"/selections/{selection.id}/vote", data={"nomination": nomination_id})
    assert response.status_code == 400 and "cancelled" in response.get_data(as_text=True)
    assert _count(Ballot) == 0


# --- 7. demo discussions in caucuses ----------------------------------------------------------


def test_demo_discussions_in_two_caucuses(app):
    from app.accounts.demo import load_demo as load_people
    from app.bodies.demo import load_demo as load_bodies
    from app.discussion.demo import load_demo as load_discussions
    from app.discussion.models import Message, Topic

    load_people(None)
    db.session.commit()
    load_bodies(None)
    db.session.commit()
    load_discussions(None)  # no documents: their threads are skipped
    db.session.commit()
    topics = db.session.scalars(select(Topic).where(Topic.body_id.is_not(None))).all()
    by_body = {}
    for topic in topics:
        by_body.setdefault(topic.body.slug, []).append(topic)
    assert len(by_body.get("digital-rights-caucus", [])) >= 2
    assert len(by_body.get("gender-caucus", [])) >= 2
    positions = [t for t in topics if t.on_behalf_body is not None]
    assert {t.on_behalf_body.slug for t in positions} >= {"digital-rights-caucus", "gender-caucus"}
    count = _count(Message)
    load_discussions(None)
    db.session.commit()
    assert _count(Message) == count
    assert db.session.scalar(select(func.count(Topic.id))) == len(topics)
