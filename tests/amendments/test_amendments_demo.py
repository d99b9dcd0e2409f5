"""The demo amendments: skipped without their document, visible equal-weight gap with it."""

from pathlib import Path

from sqlalchemy import func, select

from app.amendments import queries
from app.amendments.demo import PEOPLE, load_demo
from app.amendments.models import Amendment
from app.extensions import db


def test_demo_skips_without_document(app):
    load_demo(Path("drafts"))
    assert db.session.scalar(select(func.count()).select_from(Amendment)) == 0


def test_demo_shows_equal_weight_against_headcount(app, make_user, make_body, make_document):
    groups = {
        "amina": "civil_society",
        "lucas": "government",
        "mei": "private_sector",
        "olga": "international_organization",
        "karim": "civil_society",
        "sophie": "government",
    }
    people = {name: make_user(groups[name], email=f"{name}@example.org") for name in PEOPLE}
    for n in range(3):
        make_user("civil_society", email=f"cs{n}@example.org")
    owner = make_body("Drafting team", coordinators=[people["amina"]])
    make_document(
        [
            "# Best practice",
            "Participation should be open to everyone.",
            "Documents are published early.",
            "Groups take part as equals.",
            "Reviews are public.",
            "Closing words.",
        ],
        owner=owner,
        slug="best-practice",
    )
    load_demo(Path("drafts"))
    db.session.commit()
    amendments = db.session.scalars(select(Amendment).order_by(Amendment.id)).all()
    assert len(amendments) == 4
    assert {a.proposer_group for a in amendments} == set(groups.values())
    tallies = queries.tallies(a.id for a in amendments)
    gaps = [
        abs(t.equal_weight - t.headcount) for t in tallies.values() if t.equal_weight is not None
    ]
    assert max(gaps) > 0.2
