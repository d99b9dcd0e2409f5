"""Stakeholder groups people can trust: confirmed group changes and verified participants.

A group is declared at registration; a later change is a request that an administrator or a
focal point of the new group confirms. Focal points (members of their group's focal-point
body, app/bodies/defaults.py) also mark participants of their group as verified.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.accounts.models import STAKEHOLDER_GROUPS, GroupChangeRequest, User
from app.core import signals
from app.core.errors import Conflict, Forbidden, NotFound, ValidationError
from app.core.locking import update_if
from app.core.timeutil import utcnow
from app.extensions import db

PENDING = "pending"


# Who is a focal point is decided by bodies (an active member of the group's focal-point body),
# a higher layer: bodies hands its two reads in here (app/bodies/focal_points.py). Until it
# does, nobody is a focal point.
_focal_points = {"is_focal_point": lambda user, group: False, "by_user": lambda: {}}


def provide_focal_points(is_focal_point, focal_point_groups) -> None:
    """Register the reads `is_focal_point(user, group)` and `focal_point_groups()`."""
    _focal_points.update(is_focal_point=is_focal_point, by_user=focal_point_groups)


def is_focal_point(user, group: str) -> bool:
    """An active member of the group's focal-point body."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return _focal_points["is_focal_point"](user, group)


def focal_point_groups() -> dict[int, list[str]]:
    """{user id: [groups they are a focal point of]} in one query (for badges)."""
    return _focal_points["by_user"]()


def can_vouch_for(actor, group: str) -> bool:
    """Administrators, and focal points of `group`, confirm changes into it and verify in it."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_admin) or is_focal_point(actor, group)


# --- group changes -------------------------------------------------------------------------


def pending_request(user: User) -> GroupChangeRequest | None:
    return db.session.scalar(
        select(GroupChangeRequest)
        .where(GroupChangeRequest.user_id == user.id, GroupChangeRequest.status == PENDING)
        .order_by(GroupChangeRequest.id.desc())
        .limit(1)
    )


def group_history(user: User) -> list[GroupChangeRequest]:
    """Every decided request of the person, oldest first: the public history of changes."""
    return list(
        db.session.scalars(
            select(GroupChangeRequest)
            .where(
                GroupChangeRequest.user_id == user.id,
                GroupChangeRequest.status.in_(("confirmed", "refused")),
            )
            .order_by(GroupChangeRequest.id)
        )
    )


def get_request(request_id: int) -> GroupChangeRequest:
    request = db.session.get(GroupChangeRequest, request_id)
    if request is None:
        raise NotFound(_l("No such group change request."))
    return request


def requests_for(actor) -> list[GroupChangeRequest]:
    """Pending requests `actor` may decide, oldest first."""
    query = select(GroupChangeRequest).where(GroupChangeRequest.status == PENDING)
    if not actor.is_admin:
        groups = [g for g in STAKEHOLDER_GROUPS if is_focal_point(actor, g)]
        if not groups:
            return []
        query = query.where(GroupChangeRequest.to_group.in_(groups))
    return list(db.session.scalars(query.order_by(GroupChangeRequest.id)))


def request_group_change(user: User, to_group: str, note: str = "") -> GroupChangeRequest | None:
    """Ask to move to `to_group`; a request still pending is replaced. None when unchanged."""
    if to_group not in STAKEHOLDER_GROUPS:
        raise ValidationError(
            _l(
                "Unknown stakeholder group %(to_group)s; choose one of %(stakeholder_groups)s.",
                to_group=repr(to_group),
                stakeholder_groups=", ".join(STAKEHOLDER_GROUPS),
            )
        )
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError(_l("A note has at most 500 characters."))
    _cancel_pending(user)
    if to_group == user.group:
        return None
    request = GroupChangeRequest(
        user_id=user.id, from_group=user.group, to_group=to_group, note=note, status=PENDING
    )
    db.session.add(request)
    db.session.flush()
    signals.group_change_requested.send(request, actor=user)
    return request


def _cancel_pending(user: User) -> None:
    db.session.execute(
        update(GroupChangeRequest)
        .where(GroupChangeRequest.user_id == user.id, GroupChangeRequest.status == PENDING)
        .values(status="cancelled", decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _decide(request: GroupChangeRequest, actor, status: str) -> None:
    """Move a pending request to `status` once: a conditional UPDATE, so parallel deciders
    see one outcome and the others a 409."""
    if not can_vouch_for(actor, request.to_group):
        raise Forbidden(
            _l("Only administrators and focal points of the new group decide this request.")
        )
    now = utcnow()
    decided = update_if(
        request,
        GroupChangeRequest.status == PENDING,
        status=status,
        decided_by_id=actor.id,
        decided_at=now,
    )
    if not decided:
        raise Conflict(_l("This request has already been decided or withdrawn."), code="decided")


def confirm_group_change(request: GroupChangeRequest, actor) -> GroupChangeRequest:
    """Apply the change: new positions count for the new group, old ones keep theirs."""
    _decide(request, actor, "confirmed")
    user = request.user
    before = {"group": user.group, "verified": user.verified_at is not None}
    user.group = request.to_group
    # Verification vouches for membership of a group: it does not carry over to another one.
    user.verified_at = None
    user.verified_by_id = None
    db.session.flush()
    signals.group_change_decided.send(
        request,
        actor=actor,
        decision="confirmed",
        before=before,
        after={"group": user.group, "verified": False},
    )
    return request


def refuse_group_change(request: GroupChangeRequest, actor) -> GroupChangeRequest:
    _decide(request, actor, "refused")
    group = request.user.group
    signals.group_change_decided.send(
        request, actor=actor, decision="refused", before={"group": group}, after={"group": group}
    )
    return request


# --- verification --------------------------------------------------------------------------


def set_verified(person: User, actor, verified: bool) -> User:
    """Mark (or unmark) a participant as verified by a focal point of their group."""
    if not can_vouch_for(actor, person.group):
        raise Forbidden(_l("Only administrators and focal points of the person's group verify."))
    now = utcnow()
    condition = User.verified_at.is_(None) if verified else User.verified_at.is_not(None)
    values = (
        {"verified_at": now, "verified_by_id": actor.id}
        if verified
        else {
            "verified_at": None,
            "verified_by_id": None,
        }
    )
    if not update_if(person, condition, **values):
        state = _l("already verified") if verified else _l("not verified")
        raise Conflict(
            _l("%(name)s is %(state)s.", name=person.name, state=state),
            code="verification_unchanged",
        )
    signals.verification_changed.send(person, actor=actor, verified=verified, group=person.group)
    return person
