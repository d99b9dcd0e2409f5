"""Who moderates: administrators everywhere, coordinators for their bodies' content."""

from app.bodies.models import ACTIVE, COORDINATOR, Membership
from app.bodies.queries import is_coordinator
from app.extensions import db
from app.moderation.targets import Target


def is_signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_moderate(user, target: Target) -> bool:
    if not is_signed_in(user):
        return False
    if user.is_admin:
        return True
    return target.body_id is not None and is_coordinator(user, target.body_id)


def is_moderator(user) -> bool:
    """Administrators and coordinators of any body (who see the queue of their bodies)."""
    from sqlalchemy import select

    if not is_signed_in(user):
        return False
    if user.is_admin:
        return True
    return (
        db.session.scalar(
            select(Membership.id)
            .where(
                Membership.user_id == user.id,
                Membership.role == COORDINATOR,
                Membership.status == ACTIVE,
            )
            .limit(1)
        )
        is not None
    )
