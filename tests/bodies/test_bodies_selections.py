"""Selections through HTTP: opening, nominating, voting, closing, and who may do each."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.bodies.models import Ballot, Nomination, Selection
from app.bodies.queries import is_coordinator, is_member
from app.bodies.services import add_member
from app.core.timeutil import utcnow
from app.extensions import db


def _count(model):
    return db.session.scalar(select(func.count(model.id)))


def _form(**overrides):
    now = utcnow().replace(tzinfo=None)
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "title": "Coordinators 2027",
        "seats": "2",
        "role": "coordinator",
        "min_south": "1",
        "min_north": "0",
        "max_per_group": "1",
        "nomination_ends_at": (now + timedelta(days=3)).strftime(fmt),
        "voting_starts_at": (now + timedelta(days=3)).strftime(fmt),
        "voting_ends_at": (now + timedelta(days=6)).strftime(fmt),
    }
    data.update(overrides)
    return data


@pytest.fixture
def cast(client, login, seeded, make_user, body_of, backdate_memberships):
    people = {
        "participant": make_user("private_sector", country="SG"),
        "member": make_user("government", country="FR"),
        "coordinator": make_user("civil_society", country="KE"),
        "other_coordinator": make_user("civil_society", country="BR"),
        "admin": make_user("international_organization", country="CH", admin=True),
    }
    caucus = body_of("environment-caucus")
    add_member(caucus, people["member"])
    add_member(caucus, people["coordinator"], coordinator=True)
    add_member(body_of("youth-caucus"), people["other_coordinator"], coordinator=True)
    db.session.commit()
    backdate_memberships()  # members well before any vote the tests open

    def act_as(role):
        if role != "anonymous":
            login(client, people[role])
        return client

    return people, act_as, caucus


ROLES = ["anonymous", "participant", "member", "coordinator", "other_coordinator", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_matrix_open_selection(cast, role):
    _, act_as, _ = cast
    response = act_as(role).post("/bodies/environment-caucus/selections/new", data=_form())
    allowed = role in ("coordinator", "admin")
    assert _count(Selection) == (1 if allowed else 0)
    if allowed:
        assert response.status_code == 302
    elif role != "anonymous":
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_bureau_selections_are_opened_by_administrators(
    client, login, seeded, make_user, body_of, role
):
    actor = make_user(admin=role == "admin")
    if role == "coordinator":
        add_member(body_of("bureau"), actor, coordinator=True)
        db.session.commit()
    login(client, actor)
    response = client.post("/bodies/bureau/selections/new", data=_form(role="member"))
    assert response.status_code == (302 if role == "admin" else 403)
    assert _count(Selection) == (1 if role == "admin" else 0)


def test_impossible_rule_is_refused_at_opening(cast):
    _, act_as, _ = cast
    response = act_as("coordinator").post(
        "/bodies/environment-caucus/selections/new", data=_form(seats="5", max_per_group="1")
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "can never be met" in page and "fewer than 5" in page
    assert 'value="Coordinators 2027"' in page  # what was typed is kept
    assert _count(Selection) == 0


def test_periods_in_the_wrong_order_are_refused(cast):
    _, act_as, _ = cast
    now = utcnow().replace(tzinfo=None)
    response = act_as("coordinator").post(
        "/bodies/environment-caucus/selections/new",
        data=_form(voting_ends_at=(now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 400
    assert "must end after it starts" in response.get_data(as_text=True)
    assert _count(Selection) == 0


def test_nominations(cast, make_selection, make_user):
    people, act_as, caucus = cast
    selection = make_selection(caucus)
    client = act_as("participant")
    assert (
        client.post(f"/selections/{selection.id}/nominate", data={"who": "self"}).status_code == 302
    )
    # Unregistered, registered and already nominated addresses get the same answer.
    answers = []
    for email in ("nobody@example.org", people["member"].email, people["member"].email):
        response = client.post(f"/selections/{selection.id}/nominate", data={"email": email})
        flash = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, flash.count("they are nominated")))
        assert people["member"].name not in flash  # pending nominations are not listed
    assert answers == [(302, 1)] * 3
    nominations = {n.nominee_id: n for n in db.session.scalars(select(Nomination))}
    assert len(nominations) == 2
    assert nominations[people["participant"].id].accepted is True
    pending = nominations[people["member"].id]
    assert pending.accepted is False
    # Only the nominee accepts.
    url = f"/selections/{selection.id}/nominations/{pending.id}/accept"
    assert client.post(url).status_code == 403
    # The nominee sees the nomination awaiting acceptance; the nominator did not.
    assert "Awaiting acceptance" in act_as("member").get(f"/selections/{selection.id}").text
    assert act_as("member").post(url).status_code == 302
    db.session.refresh(pending)
    assert pending.accepted is True


def test_anonymous_cannot_nominate(cast, make_selection):
    _, act_as, caucus = cast
    selection = make_selection(caucus)
    response = act_as("anonymous").post(
        f"/selections/{selection.id}/nominate", data={"who": "self"}
    )
    assert response.status_code in (302, 401, 403)
    assert _count(Nomination) == 0
    page = act_as("anonymous").get(f"/selections/{selection.id}").get_data(as_text=True)
    assert "Nominate myself" not in page


def test_nominations_after_the_nomination_period_are_refused(cast, make_selection):
    _, act_as, caucus = cast
    selection = make_selection(caucus, phase="voting")
    response = act_as("participant").post(
        f"/selections/{selection.id}/nominate", data={"who": "self"}
    )
    assert response.status_code == 400 and "Nominations for this selection are closed" in (
        response.get_data(as_text=True)
    )
    assert _count(Nomination) == 0


def _nominate(selection, *users):
    for user in users:
        db.session.add(
            Nomination(
                selection_id=selection.id,
                nominee_id=user.id,
                nominated_by_id=user.id,
                accepted=True,
                accepted_at=utcnow(),
            )
        )
    db.session.commit()
    return {
        n.nominee_id: n.id
        for n in db.session.scalars(
            select(Nomination).where(Nomination.selection_id == selection.id)
        )
    }


@pytest.mark.parametrize("role", ROLES)
def test_matrix_vote(cast, make_selection, role):
    people, act_as, caucus = cast
    selection = make_selection(caucus, phase="voting")
    ids = _nominate(selection, people["member"])
    response = act_as(role).post(
        f"/selections/{selection.id}/vote", data={"nomination": [ids[people["member"].id]]}
    )
    allowed = role in ("member", "coordinator")
    assert _count(Ballot) == (1 if allowed else 0)
    if role not in ("anonymous",) and not allowed:
        assert response.status_code == 403


@pytest.mark.parametrize("phase", ["nomination", "counting"])
def test_votes_outside_the_voting_period_are_refused(cast, make_selection, phase):
    people, act_as, caucus = cast
    selection = make_selection(caucus, phase=phase)
    ids = _nominate(selection, people["member"])
    response = act_as("member").post(
        f"/selections/{selection.id}/vote", data={"nomination": list(ids.values())}
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert ("no vote before" in text) if phase == "nomination" else ("voting period" in text)
    assert _count(Ballot) == 0


def test_ballot_with_foreign_or_no_candidates_is_refused(cast, make_selection):
    people, act_as, caucus = cast
    selection = make_selection(caucus, phase="voting")
    _nominate(selection, people["member"])
    client = act_as("member")
    assert client.post(f"/selections/{selection.id}/vote", data={}).status_code == 400
    assert (
        client.post(f"/selections/{selection.id}/vote", data={"nomination": ["999"]}).status_code
        == 400
    )
    assert (
        client.post(f"/selections/{selection.id}/vote", data={"nomination": ["abc"]}).status_code
        == 400
    )
    assert _count(Ballot) == 0


def test_second_ballot_is_refused(cast, make_selection):
    people, act_as, caucus = cast
    selection = make_selection(caucus, phase="voting")
    ids = _nominate(selection, people["member"])
    client = act_as("member")
    data = {"nomination": [ids[people["member"].id]]}
    assert client.post(f"/selections/{selection.id}/vote", data=data).status_code == 302
    assert client.post(f"/selections/{selection.id}/vote", data=data).status_code == 409
    assert _count(Ballot) == 1


def test_one_ballot_per_member_under_parallel_requests(app, cast, make_selection):
    people, _, caucus = cast
    selection = make_selection(caucus, phase="voting")
    ids = _nominate(selection, people["member"], people["coordinator"])
    voter = people["member"]
    cookie_id = voter.get_id()
    url = f"/selections/{selection.id}/vote"
    barrier = threading.Barrier(6)
    statuses = []

    def vote():
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = cookie_id
            session["_fresh"] = True
        barrier.wait()
        statuses.append(client.post(url, data={"nomination": list(ids.values())}).status_code)

    threads = [threading.Thread(target=vote) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.expire_all()
    assert sorted(statuses) == [302] + [409] * 5
    assert _count(Ballot) == 1


@pytest.mark.parametrize("role", ROLES)
def test_matrix_close(cast, make_selection, role):
    people, act_as, caucus = cast
    selection = make_selection(caucus, phase="counting", seats=1, min_south=0, max_per_group=None)
    _nominate(selection, people["participant"])
    act_as(role).post(f"/selections/{selection.id}/close")
    db.session.expire_all()
    closed = db.session.get(Selection, selection.id).status == "closed"
    assert closed is (role in ("coordinator", "admin"))


def test_full_selection_respects_the_rule_and_seats_the_elected(
    client, login, cast, make_selection, make_user, set_phase
):
    people, act_as, caucus = cast
    north_gov = make_user("government", country="DE", name="North Government")
    north_gov2 = make_user("government", country="JP", name="Second Government")
    south_cs = make_user("civil_society", country="NG", name="South Civil")
    selection = make_selection(caucus, seats=2, min_south=1, max_per_group=1)
    for user in (north_gov, north_gov2, south_cs):
        act_as("coordinator").post(
            f"/selections/{selection.id}/nominate", data={"email": user.email}
        )
    for nomination in db.session.scalars(select(Nomination)).all():
        login(client, db.session.get(User, nomination.nominee_id))
        client.post(f"/selections/{selection.id}/nominations/{nomination.id}/accept")
    ids = {n.nominee_id: n.id for n in db.session.scalars(select(Nomination))}
    assert all(n.accepted for n in db.session.scalars(select(Nomination)))
    set_phase(selection, "voting")
    # Both government candidates get more approvals than the Southern candidate.
    act_as("member").post(
        f"/selections/{selection.id}/vote",
        data={"nomination": [ids[north_gov.id], ids[north_gov2.id]]},
    )
    act_as("coordinator").post(
        f"/selections/{selection.id}/vote",
        data={"nomination": [ids[north_gov.id], ids[north_gov2.id], ids[south_cs.id]]},
    )
    set_phase(selection, "counting")
    response = act_as("coordinator").post(f"/selections/{selection.id}/close")
    assert response.status_code == 302
    db.session.expire_all()
    result = db.session.get(Selection, selection.id).result
    assert [c["name"] for c in result["counts"] if c["elected"]] == [
        "North Government",
        "South Civil",
    ]
    assert {c["name"]: c["votes"] for c in result["counts"]} == {
        "North Government": 2,
        "Second Government": 2,
        "South Civil": 1,
    }
    assert result["ballots"] == 2
    assert is_coordinator(north_gov, caucus.id) and is_coordinator(south_cs, caucus.id)
    assert not is_member(north_gov2, caucus.id)
    page = act_as("anonymous").get(f"/selections/{selection.id}").get_data(as_text=True)
    assert "Passed over to meet the balance rule" in page
    assert "at least 1 seat(s) for the South; at most 1 seat(s) per stakeholder group" in page
    assert "Approval voting" in page and "tied at 2" in page


def test_closing_with_an_impossible_rule_changes_nothing(cast, make_selection, make_user):
    people, act_as, caucus = cast
    selection = make_selection(caucus, phase="counting", seats=2, min_south=2, max_per_group=None)
    north = make_user("government", country="FR")
    south = make_user("civil_society", country="KE")
    ids = _nominate(selection, north, south)
    act_as("member").post(
        f"/selections/{selection.id}/vote", data={"nomination": list(ids.values())}
    )
    set_back = db.session.get(Selection, selection.id)
    set_back.voting_ends_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    response = act_as("coordinator").post(f"/selections/{selection.id}/close")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "at least 2 Southern seat(s) but only 1" in text and "No seat has been assigned" in text
    db.session.expire_all()
    refreshed = db.session.get(Selection, selection.id)
    assert refreshed.status != "closed" and refreshed.result is None
    assert not is_member(south, caucus.id) and not is_member(north, caucus.id)


def test_the_plenary_elects_the_bureau(
    client, login, seeded, make_user, body_of, make_selection, backdate_memberships
):
    bureau, plenary = body_of("bureau"), body_of("plenary")
    voter, outsider, candidate = make_user(), make_user(), make_user()
    add_member(plenary, voter)
    db.session.commit()
    backdate_memberships()
    selection = make_selection(bureau, phase="voting", seats=1, role="member")
    ids = _nominate(selection, candidate)
    login(client, outsider)
    assert (
        client.post(
            f"/selections/{selection.id}/vote", data={"nomination": list(ids.values())}
        ).status_code
        == 403
    )
    login(client, voter)
    assert (
        client.post(
            f"/selections/{selection.id}/vote", data={"nomination": list(ids.values())}
        ).status_code
        == 302
    )


def test_unknown_selection_is_404(client):
    assert client.get("/selections/999").status_code == 404
