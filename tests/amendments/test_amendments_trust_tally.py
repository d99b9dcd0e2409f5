"""A position counts for the group its author had when taking it; tallies show the same
scores among verified participants."""

from sqlalchemy import select

from app.accounts import groups
from app.amendments import queries, services
from app.amendments.models import Position
from app.bodies.defaults import FOCAL_POINT_SLUGS
from app.bodies.models import Body, Membership
from app.bodies.services import seed_bodies
from app.extensions import db


def _focal_point(make_user, group):
    seed_bodies()
    person = make_user(group)
    body = db.session.scalar(select(Body).where(Body.slug == FOCAL_POINT_SLUGS[group]))
    db.session.add(Membership(body_id=body.id, user_id=person.id))
    db.session.commit()
    return person


def test_group_change_moves_no_tally_until_confirmed_nor_old_positions(world, propose, make_user):
    first, second = propose(), propose(index=2, text="Every version is public.")
    services.set_position(first, world.participant, "support")  # a government participant
    db.session.commit()
    position = db.session.scalar(select(Position).where(Position.amendment_id == first.id))
    assert position.group == "government"

    request = groups.request_group_change(world.participant, "civil_society")
    db.session.commit()
    tally = queries.tally(first)
    assert tally.groups["government"].support == 1 and tally.groups["civil_society"].support == 0

    groups.confirm_group_change(request, world.admin)
    db.session.commit()
    assert world.participant.group == "civil_society"
    tally = queries.tally(first)
    assert tally.groups["government"].support == 1, "an old position keeps its group"
    assert tally.groups["civil_society"].support == 0

    services.set_position(second, world.participant, "oppose")
    db.session.commit()
    tally = queries.tally(second)
    assert tally.groups["civil_society"].oppose == 1 and tally.groups["government"].oppose == 0


def test_verified_only_tally_beside_the_full_one(world, propose, make_user, client):
    amendment = propose()
    point = _focal_point(make_user, "government")
    verified_gov = make_user("government")
    unverified_gov = make_user("government")
    civil = make_user("civil_society")
    groups.set_verified(verified_gov, point, True)
    db.session.commit()
    services.set_position(amendment, verified_gov, "support")
    services.set_position(amendment, unverified_gov, "oppose")
    services.set_position(amendment, civil, "support")
    db.session.commit()

    tally = queries.tally(amendment)
    assert tally.positions == 3
    assert float(tally.equal_weight) == 0.75  # government 1/2, civil society 1
    assert tally.verified.positions == 1
    assert float(tally.verified.equal_weight) == 1.0
    assert tally.verified.groups["government"].support == 1

    data = client.get(f"/api/amendments/{amendment.id}").get_json()["tally"]
    assert data["equal_weight"] == 0.75
    assert data["verified"]["equal_weight"] == 1.0
    assert data["verified"]["headcount"] == 1.0
    assert data["verified"]["groups"]["government"] == {"support": 1, "oppose": 0, "abstain": 0}
    assert data["verified"]["consensus"] is False
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Among verified participants only" in page


def test_verification_in_another_group_does_not_count(world, propose, make_user):
    amendment = propose()
    person = make_user("government")
    groups.set_verified(person, world.admin, True)
    services.set_position(amendment, person, "support")
    request = groups.request_group_change(person, "private_sector")
    groups.confirm_group_change(request, world.admin)
    groups.set_verified(person, world.admin, True)  # verified again, now as private sector
    db.session.commit()
    tally = queries.tally(amendment)
    assert tally.groups["government"].support == 1
    assert tally.verified.positions == 0
