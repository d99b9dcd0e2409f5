"""Creating the default bodies and changing who belongs to them."""

import logging

from sqlalchemy import select

from app.bodies.defaults import default_bodies
from app.bodies.models import ACTIVE, COORDINATOR, MEMBER, REQUESTED, Body, Membership
from app.bodies.permissions import admin_only
from app.bodies.queries import membership_of
from app.core.errors import Conflict, NotFound, ValidationError
from app.extensions import db

log = logging.getLogger(__name__)


def seed_bodies() -> list[Body]:
    """Create the default bodies that do not exist yet (by slug); return the ones created."""
    existing = set(db.session.scalars(select(Body.slug)))
    created = []
    for fields in default_bodies():
        if fields["slug"] in existing:
            continue
        body = Body(**fields)
        db.session.add(body)
        created.append(body)
    db.session.flush()
    if created:
        log.info("seeded %d bodies", len(created))
    return created


def find_user_by_email(email: str):
    """The registered person with this address, or a ValidationError naming the address."""
    from app.accounts.models import User
    from app.accounts.services import normalize_email

    address = (email or "").strip()
    if not address:
        raise ValidationError("Give the e-mail address of a registered participant.")
    user = db.session.scalar(select(User).where(User.email == normalize_email(address)))
    if user is None:
        raise ValidationError(f"Nobody is registered with the e-mail address {address}.")
    return user


def join_body(user, body: Body) -> Membership:
    """Join an open body at once."""
    if not body.is_open:
        if admin_only(body):
            raise ValidationError(
                f"The {body.name} cannot be joined: its members are elected or appointed."
            )
        raise ValidationError(
            f"The {body.name} is closed: ask to join and a coordinator will answer your request."
        )
    membership = membership_of(user, body.id)
    if membership is not None and membership.status == ACTIVE:
        raise Conflict(f"You are already a member of the {body.name}.")
    if membership is None:
        membership = Membership(body_id=body.id, user_id=user.id, role=MEMBER)
        db.session.add(membership)
    membership.status = ACTIVE
    db.session.flush()
    return membership


def request_membership(user, body: Body) -> Membership:
    """Ask to join a closed body; its coordinators approve or decline."""
    if body.is_open:
        raise ValidationError(f"The {body.name} is open: join it directly.")
    if admin_only(body):
        raise ValidationError(
            f"The {body.name} takes no requests: its members are elected or appointed."
        )
    membership = membership_of(user, body.id)
    if membership is not None:
        if membership.status == ACTIVE:
            raise Conflict(f"You are already a member of the {body.name}.")
        raise Conflict(f"Your request to join the {body.name} is already waiting for an answer.")
    membership = Membership(body_id=body.id, user_id=user.id, role=MEMBER, status=REQUESTED)
    db.session.add(membership)
    db.session.flush()
    return membership


def leave_body(user, body: Body) -> None:
    """Leave a body, or withdraw a pending request."""
    membership = membership_of(user, body.id)
    if membership is None:
        raise ValidationError(f"You are not a member of the {body.name}.")
    db.session.delete(membership)
    db.session.flush()


def _pending(body: Body, user_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.body_id == body.id,
            Membership.user_id == user_id,
            Membership.status == REQUESTED,
        )
    )
    if membership is None:
        raise NotFound(f"No pending request from this person to join the {body.name}.")
    return membership


def approve_request(body: Body, user_id: int) -> Membership:
    membership = _pending(body, user_id)
    membership.status = ACTIVE
    db.session.flush()
    return membership


def decline_request(body: Body, user_id: int) -> None:
    db.session.delete(_pending(body, user_id))
    db.session.flush()


def add_member(body: Body, user, *, coordinator: bool = False) -> Membership:
    """Make `user` an active member (or coordinator); approves a pending request on the way."""
    membership = membership_of(user, body.id)
    if membership is None:
        membership = Membership(body_id=body.id, user_id=user.id, role=MEMBER)
        db.session.add(membership)
    elif membership.status == ACTIVE and not coordinator:
        raise Conflict(f"{user.name} is already a member of the {body.name}.")
    elif membership.status == ACTIVE and membership.role == COORDINATOR:
        raise Conflict(f"{user.name} is already a coordinator of the {body.name}.")
    membership.status = ACTIVE
    if coordinator:
        membership.role = COORDINATOR
    db.session.flush()
    return membership


def _active(body: Body, user_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.body_id == body.id,
            Membership.user_id == user_id,
            Membership.status == ACTIVE,
        )
    )
    if membership is None:
        raise NotFound(f"This person is not a member of the {body.name}.")
    return membership


def remove_member(body: Body, user_id: int) -> None:
    db.session.delete(_active(body, user_id))
    db.session.flush()


def set_role(body: Body, user_id: int, role: str) -> Membership:
    """Promote a member to coordinator or make a coordinator a plain member again."""
    if role not in (MEMBER, COORDINATOR):
        raise ValidationError("A role is either member or coordinator.")
    membership = _active(body, user_id)
    membership.role = role
    db.session.flush()
    return membership
