from sqlalchemy import func, select

from app.accounts.regions import REGIONS
from app.bodies.models import Body, Membership
from app.bodies.services import seed_bodies
from app.extensions import db

CONTRACT_SLUGS = {
    "bureau",
    "plenary",
    "general-team",
    "coordination-team",
    "drafting-team",
    "speaker-nomination-team",
    "translation-team",
}


def _count(kind=None):
    query = select(func.count(Body.id))
    if kind:
        query = query.where(Body.kind == kind)
    return db.session.scalar(query)


def test_seed_creates_the_default_bodies(app):
    created = seed_bodies()
    db.session.commit()
    slugs = set(db.session.scalars(select(Body.slug)))
    assert slugs >= CONTRACT_SLUGS
    assert len(created) == _count()
    assert _count("regional_caucus") == len(REGIONS) == 7
    assert 18 <= _count("thematic_caucus") <= 22
    teams = {b.slug: b for b in db.session.scalars(select(Body).where(Body.kind == "team"))}
    assert {b.team_role for b in teams.values()} == {
        "general",
        "coordination",
        "drafting",
        "speaker_nomination",
        "translation",
    }
    assert not any(b.is_open for b in teams.values())
    assert db.session.scalar(select(Body).where(Body.slug == "bureau")).is_open is False
    assert all(b.purpose for b in db.session.scalars(select(Body)))


def test_seeding_twice_creates_nothing_twice(app):
    seed_bodies()
    db.session.commit()
    before = _count()
    assert seed_bodies() == []
    db.session.commit()
    assert _count() == before


def test_seed_keeps_existing_bodies_and_adds_missing(app, make_body):
    make_body("Drafting team", slug="drafting-team", kind="team", team_role="drafting")
    created = seed_bodies()
    db.session.commit()
    assert "drafting-team" not in {b.slug for b in created}
    assert _count() == len(created) + 1


def test_cli_seed_twice(runner):
    first = runner.invoke(args=["bodies", "seed"])
    assert first.exit_code == 0 and "bodies created" in first.output
    count = _count()
    second = runner.invoke(args=["bodies", "seed"])
    assert second.exit_code == 0 and "exists already" in second.output
    assert _count() == count


def test_cli_add_member(runner, seeded, make_user, body_of):
    user = make_user(email="ana@example.org")
    result = runner.invoke(
        args=["bodies", "add-member", "drafting-team", "ana@example.org", "--coordinator"]
    )
    assert result.exit_code == 0, result.output
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert membership.role == "coordinator" and membership.body.slug == "drafting-team"


def test_cli_add_member_unknown_body_or_email(runner, seeded, make_user):
    make_user(email="ana@example.org")
    unknown_body = runner.invoke(args=["bodies", "add-member", "no-such-body", "ana@example.org"])
    assert (
        unknown_body.exit_code != 0
        and "No body with the slug 'no-such-body'" in unknown_body.output
    )
    unknown_email = runner.invoke(args=["bodies", "add-member", "plenary", "nobody@example.org"])
    assert unknown_email.exit_code != 0
    assert "Nobody is registered with the e-mail address nobody@example.org" in unknown_email.output
    assert db.session.scalar(select(func.count(Membership.id))) == 0


def test_bodies_index_groups_by_kind_with_counts(client, seeded, make_user, body_of):
    from app.bodies.services import add_member

    add_member(body_of("gender-caucus"), make_user())
    add_member(body_of("gender-caucus"), make_user())
    db.session.commit()
    page = client.get("/bodies").get_data(as_text=True)
    assert "Regional caucuses" in page and "Thematic caucuses" in page
    assert 'Gender caucus</a>\n      <span class="muted">2 members' in page
    assert "Africa caucus" in page
