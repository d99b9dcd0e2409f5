"""Who belongs to which body: the reads that permissions everywhere rely on."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.accounts.services import normalize_email
from app.bodies.models import ACTIVE, BODY_KINDS, BODY_KINDS_PLURAL, COORDINATOR, Body, Membership
from app.core.errors import Forbidden, NotFound, ValidationError
from app.extensions import db


def is_member(user, body_id: int | None) -> bool:
    """Active member (coordinators included) of the body, checked against the database now."""
    if user is None or not getattr(user, "is_authenticated", False) or body_id is None:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Membership.body_id == body_id,
                    Membership.user_id == user.id,
                    Membership.status == ACTIVE,
                )
            )
        )
    )


def is_coordinator(user, body_id: int | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or body_id is None:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Membership.body_id == body_id,
                    Membership.user_id == user.id,
                    Membership.status == ACTIVE,
                    Membership.role == COORDINATOR,
                )
            )
        )
    )


def is_team_member(user, team_role: str) -> bool:
    """Active member of any team playing `team_role` (e.g. the translation team)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Membership.user_id == user.id,
                    Membership.status == ACTIVE,
                    Membership.body_id == Body.id,
                    Body.kind == "team",
                    Body.team_role == team_role,
                )
            )
        )
    )


def active_since(user, body_id: int):
    """When the user's active membership of the body began (its created_at), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Membership.created_at).where(
            Membership.body_id == body_id,
            Membership.user_id == user.id,
            Membership.status == ACTIVE,
        )
    )


def valid_id(value) -> int | None:
    """A database id from a form, a URL or JSON: 0 < n < 2**31, else None (never an error)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if 0 < number < 2**31 else None


def body_by_slug(slug: str) -> Body | None:
    return db.session.scalar(select(Body).where(Body.slug == slug))


def get_body(slug: str) -> Body:
    """The body with this slug, or NotFound."""
    body = body_by_slug(slug)
    if body is None:
        raise NotFound(_l("No body %(slug)s.", slug=repr(slug)))
    return body


def membership_of(user, body_id: int) -> Membership | None:
    """The user's membership row (active or requested) in the body, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Membership).where(Membership.body_id == body_id, Membership.user_id == user.id)
    )


def bodies_user_can_speak_for(user) -> list[Body]:
    """Bodies the user may act on behalf of (active memberships), for on-behalf-of choices."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.scalars(
            select(Body)
            .join(Membership, Membership.body_id == Body.id)
            .where(Membership.user_id == user.id, Membership.status == ACTIVE)
            .order_by(Body.name)
        )
    )


def body_user_speaks_for(user, body: int | str | Body | None) -> Body | None:
    """Check that `user` may speak for `body` (id, slug or Body) and return it; None for none.

    Amendments, positions and messages "on behalf of" a body call this before storing anything:
    an unknown body is a NotFound, a body the user is not an active member of a Forbidden.
    """
    if body is None or body == "":
        return None
    if isinstance(body, Body):
        found = body
    elif isinstance(body, bool):
        found = None  # JSON true/false names no body (and True == 1 would find the first one)
    elif isinstance(body, int) or (isinstance(body, str) and body.isascii() and body.isdigit()):
        found = db.session.get(Body, int(body)) if 0 < int(body) < 2**31 else None
    else:
        found = body_by_slug(str(body))
    if found is None:
        raise NotFound(_l("No body %(body)s to speak for.", body=repr(body)))
    if not is_member(user, found.id):
        raise Forbidden(
            _l("Only members of the %(name)s may speak on its behalf.", name=found.name)
        )
    return found


def bodies_by_kind() -> list[tuple[str, str, list[tuple[Body, int]]]]:
    """(kind, label, [(body, active member count)]) in the order of BODY_KINDS."""
    counts = (
        select(Membership.body_id, func.count(Membership.id).label("n"))
        .where(Membership.status == ACTIVE)
        .group_by(Membership.body_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Body, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.body_id == Body.id)
        .order_by(Body.name)
    ).all()
    grouped: dict[str, list] = {kind: [] for kind in BODY_KINDS}
    for body, count in rows:
        grouped.setdefault(body.kind, []).append((body, count))
    return [
        (kind, BODY_KINDS_PLURAL.get(kind, kind), items) for kind, items in grouped.items() if items
    ]


def memberships(body_id: int, status: str = ACTIVE) -> list[Membership]:
    """Memberships with their users, coordinators first, then by name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .options(contains_eager(Membership.user))
            .where(Membership.body_id == body_id, Membership.status == status)
            .order_by((Membership.role == COORDINATOR).desc(), User.name, User.id)
        )
    )


def coordinators(body_id: int) -> list:
    return [m.user for m in memberships(body_id) if m.role == COORDINATOR]


def coordinators_by_body() -> dict[int, list]:
    """Coordinators of every body in one query: {body_id: [User]}."""
    rows = db.session.execute(
        select(Membership.body_id, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.status == ACTIVE, Membership.role == COORDINATOR)
        .order_by(User.name)
    ).all()
    result: dict[int, list] = {}
    for body_id, user in rows:
        result.setdefault(body_id, []).append(user)
    return result


def find_user_by_email(email: str):
    """The registered person with this address, or a ValidationError naming the address."""
    address = (email or "").strip()
    if not address:
        raise ValidationError(_l("Give the e-mail address of a registered participant."))
    user = db.session.scalar(select(User).where(User.email == normalize_email(address)))
    if user is None:
        raise ValidationError(
            _l("Nobody is registered with the e-mail address %(address)s.", address=address)
        )
    return user
