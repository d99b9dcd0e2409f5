"""Creating the default bodies and changing who belongs to them."""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.bodies.defaults import default_bodies
from app.bodies.models import (
    ACTIVE,
    BODY_KINDS,
    COORDINATOR,
    MEMBER,
    REQUESTED,
    TEAM_ROLES,
    Body,
    Membership,
)
from app.bodies.permissions import admin_only
from app.bodies.queries import membership_of
from app.core import signals
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.locking import insert_unique, lock_rows
from app.core.slugs import slugify
from app.core.slugs import unique_slug as core_unique_slug
from app.core.timeutil import utcnow
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
    for body in created:
        signals.body_changed.send(body, actor=None, created=True)
    if created:
        log.info("seeded %d bodies", len(created))
    return created


def slug_for(name: str) -> str:
    """The slug of a body's name: lower-case ASCII words joined by hyphens."""
    return slugify(name)


def unique_slug(name: str) -> str:
    """A slug for a new body: the name's, with -2, -3... when that one is taken."""
    return core_unique_slug(slug_for(name) or "body", Body.slug, Body.slug.type.length)


def create_body(
    name: str,
    kind: str,
    *,
    team_role: str | None = None,
    purpose: str = "",
    is_open: bool = True,
    slug: str | None = None,
) -> Body:
    """Create a body (administrators only, checked by the caller).

    Without `slug` the slug is made from the name and made unique; an explicit slug that is
    taken is a Conflict.
    """
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_l("A body needs a name."))
    if len(name) > 160:
        raise ValidationError(_l("A body's name has at most 160 characters."))
    if kind not in BODY_KINDS:
        raise ValidationError(
            _l(
                "Unknown kind %(kind)s: choose one of %(BODY_KINDS)s.",
                kind=repr(kind),
                BODY_KINDS=", ".join(sorted(BODY_KINDS)),
            )
        )
    if kind == "team":
        if team_role not in TEAM_ROLES:
            raise ValidationError(
                _l(
                    "A content and themes team needs a team role: one of %(TEAM_ROLES)s.",
                    TEAM_ROLES=", ".join(sorted(TEAM_ROLES)),
                )
            )
    elif team_role:
        raise ValidationError(_l("Only content and themes teams have a team role."))
    purpose = (purpose or "").strip()
    if len(purpose) > 2000:
        raise ValidationError(_l("A purpose has at most 2000 characters."))
    if slug is None:
        slug = unique_slug(name)
    else:
        slug = slug.strip()
        if not slug or slug != slug_for(slug):
            raise ValidationError(
                _l(
                    "%(slug)s is not a valid slug: use lower-case letters, digits and hyphens.",
                    slug=repr(slug),
                )
            )
        if db.session.scalar(select(Body.id).where(Body.slug == slug)) is not None:
            raise Conflict(_l("A body with the slug %(slug)s exists already.", slug=repr(slug)))
    body = Body(
        slug=slug,
        name=name,
        kind=kind,
        team_role=team_role if kind == "team" else None,
        purpose=purpose,
        is_open=bool(is_open),
    )
    insert_unique(
        Conflict(_l("A body with the slug %(slug)s exists already.", slug=repr(slug))), body
    )
    signals.body_changed.send(body, actor=None, created=True)
    log.info("body %s created", slug)
    return body


def _state(membership: Membership | None) -> dict | None:
    return None if membership is None else {"status": membership.status, "role": membership.role}


def _changed(membership: Membership, change: str, before: dict | None, actor=None) -> None:
    after = None if change in ("left", "declined", "removed") else _state(membership)
    signals.membership_changed.send(
        membership, actor=actor, change=change, before=before, after=after
    )


def join_body(user, body: Body) -> Membership:
    """Join an open body at once."""
    lock_rows(body)  # membership changes of a body one at a time
    if not body.is_open:
        if admin_only(body):
            raise ValidationError(
                _l(
                    "The %(name)s cannot be joined: its members are elected or appointed.",
                    name=body.name,
                )
            )
        raise ValidationError(
            _l(
                "The %(name)s is closed: ask to join and a coordinator will answer your request.",
                name=body.name,
            )
        )
    membership = membership_of(user, body.id)
    if membership is not None and membership.status == ACTIVE:
        raise Conflict(_l("You are already a member of the %(name)s.", name=body.name))
    before = _state(membership)
    if membership is None:
        membership = Membership(body_id=body.id, user_id=user.id, role=MEMBER)
        db.session.add(membership)
    _activate(membership)
    db.session.flush()
    _changed(membership, "joined", before, actor=user)
    return membership


def _activate(membership: Membership) -> None:
    """Make a membership active; its created_at then says since when it is active.

    Selections count created_at to fix their electorate, so a request made before a vote and
    approved during it does not give a vote in it.
    """
    if membership.status != ACTIVE:
        membership.status = ACTIVE
        membership.created_at = utcnow()


def request_membership(user, body: Body) -> Membership:
    """Ask to join a closed body; its coordinators approve or decline."""
    lock_rows(body)
    if body.is_open:
        raise ValidationError(_l("The %(name)s is open: join it directly.", name=body.name))
    if admin_only(body):
        raise ValidationError(
            _l(
                "The %(name)s takes no requests: its members are elected or appointed.",
                name=body.name,
            )
        )
    membership = membership_of(user, body.id)
    if membership is not None:
        if membership.status == ACTIVE:
            raise Conflict(_l("You are already a member of the %(name)s.", name=body.name))
        raise Conflict(
            _l(
                "Your request to join the %(name)s is already waiting for an answer.",
                name=body.name,
            )
        )
    membership = Membership(body_id=body.id, user_id=user.id, role=MEMBER, status=REQUESTED)
    db.session.add(membership)
    db.session.flush()
    _changed(membership, "requested", None, actor=user)
    return membership


def leave_body(user, body: Body) -> None:
    """Leave a body, or withdraw a pending request."""
    lock_rows(body)
    membership = membership_of(user, body.id)
    if membership is None:
        raise ValidationError(_l("You are not a member of the %(name)s.", name=body.name))
    before = _state(membership)
    _changed(membership, "left", before, actor=user)
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
        raise NotFound(
            _l("No pending request from this person to join the %(name)s.", name=body.name)
        )
    return membership


def approve_request(body: Body, user_id: int, actor=None) -> Membership:
    lock_rows(body)
    membership = _pending(body, user_id)
    before = _state(membership)
    _activate(membership)
    db.session.flush()
    _changed(membership, "approved", before, actor=actor)
    return membership


def decline_request(body: Body, user_id: int, actor=None) -> None:
    lock_rows(body)
    membership = _pending(body, user_id)
    _changed(membership, "declined", _state(membership), actor=actor)
    db.session.delete(membership)
    db.session.flush()


def add_member(body: Body, user, *, coordinator: bool = False, actor=None) -> Membership:
    """Make `user` an active member (or coordinator); approves a pending request on the way."""
    lock_rows(body)
    membership = membership_of(user, body.id)
    before = _state(membership)
    if membership is None:
        membership = Membership(body_id=body.id, user_id=user.id, role=MEMBER)
        db.session.add(membership)
    elif membership.status == ACTIVE and not coordinator:
        raise Conflict(
            _l("%(name)s is already a member of the %(name2)s.", name=user.name, name2=body.name)
        )
    elif membership.status == ACTIVE and membership.role == COORDINATOR:
        raise Conflict(
            _l(
                "%(name)s is already a coordinator of the %(name2)s.",
                name=user.name,
                name2=body.name,
            )
        )
    _activate(membership)
    if coordinator:
        membership.role = COORDINATOR
    db.session.flush()
    _changed(membership, "added", before, actor=actor)
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
        raise NotFound(_l("This person is not a member of the %(name)s.", name=body.name))
    return membership


def remove_member(body: Body, user_id: int, actor=None) -> None:
    lock_rows(body)
    membership = _active(body, user_id)
    _changed(membership, "removed", _state(membership), actor=actor)
    db.session.delete(membership)
    db.session.flush()


def set_role(body: Body, user_id: int, role: str, actor=None) -> Membership:
    """Promote a member to coordinator or make a coordinator a plain member again."""
    lock_rows(body)
    if role not in (MEMBER, COORDINATOR):
        raise ValidationError(_l("A role is either member or coordinator."))
    membership = _active(body, user_id)
    before = _state(membership)
    membership.role = role
    db.session.flush()
    _changed(membership, "role", before, actor=actor)
    return membership
