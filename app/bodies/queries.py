"""Who belongs to which body: the reads that permissions everywhere rely on."""

from sqlalchemy import exists, select

from app.bodies.models import ACTIVE, COORDINATOR, Body, Membership
from app.extensions import db


def is_member(user, body_id: int | None) -> bool:
    """Active member (coordinators included) of the body, checked against the database now."""
    if user is None or not getattr(user, "is_authenticated", False) or body_id is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        Membership.body_id == body_id, Membership.user_id == user.id, Membership.status == ACTIVE,
    ))))


def is_coordinator(user, body_id: int | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or body_id is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        Membership.body_id == body_id, Membership.user_id == user.id,
        Membership.status == ACTIVE, Membership.role == COORDINATOR,
    ))))


def is_team_member(user, team_role: str) -> bool:
    """Active member of any team playing `team_role` (e.g. the translation team)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(exists().where(
        Membership.user_id == user.id, Membership.status == ACTIVE,
        Membership.body_id == Body.id, Body.kind == "team", Body.team_role == team_role,
    ))))


def body_by_slug(slug: str) -> Body | None:
    return db.session.scalar(select(Body).where(Body.slug == slug))
