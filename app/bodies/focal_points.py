"""Focal points: the members of a stakeholder group's focal-point body (defaults.py).

Accounts asks who may vouch for a group; the answer depends on bodies' memberships, so bodies
registers these reads with accounts instead of accounts importing bodies.
"""

from sqlalchemy import select

from app.accounts.groups import provide_focal_points
from app.bodies.defaults import FOCAL_POINT_SLUGS
from app.bodies.models import ACTIVE, Body, Membership
from app.bodies.queries import body_by_slug, is_member
from app.extensions import db


def focal_point_body_id(group: str) -> int | None:
    body = body_by_slug(FOCAL_POINT_SLUGS.get(group, ""))
    return body.id if body is not None else None


def is_focal_point(user, group: str) -> bool:
    """An active member of the group's focal-point body (the user is signed in)."""
    body_id = focal_point_body_id(group)
    return body_id is not None and is_member(user, body_id)


def focal_point_groups() -> dict[int, list[str]]:
    """{user id: [groups they are a focal point of]} in one query (for badges)."""
    by_slug = {slug: group for group, slug in FOCAL_POINT_SLUGS.items()}
    rows = db.session.execute(
        select(Membership.user_id, Body.slug)
        .join(Body, Body.id == Membership.body_id)
        .where(Body.slug.in_(by_slug), Membership.status == ACTIVE)
    )
    result: dict[int, list[str]] = {}
    for user_id, slug in rows:
        result.setdefault(user_id, []).append(by_slug[slug])
    return result


provide_focal_points(is_focal_point, focal_point_groups)
