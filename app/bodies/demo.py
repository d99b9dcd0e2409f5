"""Demo bodies and memberships for `flask demo load` (after the accounts demo)."""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from app.accounts.models import User
from app.bodies.models import COORDINATOR, MEMBER, Membership
from app.bodies.queries import body_by_slug
from app.bodies.selections import nominate, open_selection
from app.bodies.services import seed_bodies
from app.core.timeutil import utcnow
from app.extensions import db

# (body slug, e-mail, role): the memberships of the cross-team contract, then a few caucus members.
DEMO_MEMBERSHIPS = [
    ("drafting-team", "amina@example.org", COORDINATOR),
    ("drafting-team", "lucas@example.org", MEMBER),
    ("translation-team", "karim@example.org", MEMBER),
    ("translation-team", "sophie@example.org", MEMBER),
    ("bureau", "olga@example.org", MEMBER),
    ("africa-caucus", "amina@example.org", COORDINATOR),
    ("arab-states-caucus", "karim@example.org", COORDINATOR),
    ("latin-america-caribbean-caucus", "lucas@example.org", MEMBER),
    ("asia-pacific-caucus", "mei@example.org", MEMBER),
    ("europe-caucus", "sophie@example.org", MEMBER),
    ("gender-caucus", "amina@example.org", MEMBER),
    ("gender-caucus", "sophie@example.org", COORDINATOR),
    ("digital-rights-caucus", "mei@example.org", COORDINATOR),
    ("digital-rights-caucus", "karim@example.org", MEMBER),
    ("digital-rights-caucus", "olga@example.org", MEMBER),
    ("youth-caucus", "karim@example.org", MEMBER),
]


def _users_by_email() -> dict:
    return {u.email: u for u in db.session.scalars(select(User))}


def load_demo(drafts_dir: Path) -> None:
    """Seed the default bodies, add the demo members and open one selection in a caucus."""
    seed_bodies()
    users = _users_by_email()
    plenary = body_by_slug("plenary")
    for user in users.values():
        if not user.is_admin:
            db.session.add(Membership(body_id=plenary.id, user_id=user.id, role=MEMBER))
    # People not in the contract list (the extra civil society participants) join caucuses by region.
    listed = {email for _, email, _ in DEMO_MEMBERSHIPS}
    memberships = list(DEMO_MEMBERSHIPS)
    for email, user in users.items():
        if email not in listed and not user.is_admin and user.region:
            memberships.append((user.region.replace("_", "-") + "-caucus", email, MEMBER))
    for slug, email, role in memberships:
        body, user = body_by_slug(slug), users.get(email)
        if body is None or user is None:
            continue
        existing = db.session.scalar(
            select(Membership).where(Membership.body_id == body.id, Membership.user_id == user.id)
        )
        if existing is None:
            db.session.add(Membership(body_id=body.id, user_id=user.id, role=role))
    db.session.flush()
    caucus = body_by_slug("digital-rights-caucus")
    opener = users.get("mei@example.org") or next(iter(users.values()), None)
    now = utcnow().replace(second=0, microsecond=0)
    selection = open_selection(
        caucus,
        opener,
        title="Coordinators of the Digital rights caucus, next term",
        description="Two coordinators for the next twelve months. Nominate yourself or a "
        "colleague; members of the caucus approve as many candidates as they like.",
        seats=2,
        role=COORDINATOR,
        min_south=1,
        max_per_group=1,
        nomination_ends_at=now + timedelta(days=7),
        voting_ends_at=now + timedelta(days=14),
    )
    for email in ("karim@example.org", "olga@example.org"):
        if email in users:
            nominate(selection, users[email])
    db.session.flush()
