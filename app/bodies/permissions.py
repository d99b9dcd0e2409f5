"""Who may manage a body's membership and its selections; checked against the database now."""

from flask_babel import lazy_gettext as _l

from app.bodies.defaults import BUREAU, PLENARY
from app.bodies.models import Body, Selection
from app.bodies.queries import active_since, body_by_slug, is_coordinator, is_member


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_admin(user) -> bool:
    return _authenticated(user) and bool(user.is_admin)


def admin_only(body: Body) -> bool:
    """The Bureau is managed by administrators (and by selections), not by its coordinators."""
    return body.kind == "bureau"


def can_create_body(user) -> bool:
    """Administrators create bodies (working groups, new caucuses...)."""
    return is_admin(user)


def can_manage_members(user, body: Body) -> bool:
    """Add, remove, promote and demote members, approve and decline requests."""
    if is_admin(user):
        return True
    return not admin_only(body) and is_coordinator(user, body.id)


def can_join(user, body: Body) -> bool:
    return _authenticated(user) and body.is_open


def can_request(user, body: Body) -> bool:
    return _authenticated(user) and not body.is_open and not admin_only(body)


def can_open_selection(user, body: Body) -> bool:
    """Coordinators of the body, and administrators; only administrators for the Bureau."""
    return can_manage_members(user, body)


def can_close_selection(user, selection: Selection) -> bool:
    return can_open_selection(user, selection.body)


def can_nominate(user) -> bool:
    return _authenticated(user)


def electorate(body: Body) -> Body:
    """The body whose members vote: the Plenary elects the Bureau, every other body itself."""
    if body.slug == BUREAU:
        plenary = body_by_slug(PLENARY)
        if plenary is not None:
            return plenary
    return body


def can_vote(user, selection: Selection) -> bool:
    """Active members of the electorate whose membership existed before voting opened.

    The electorate is fixed in time: joining (or being admitted) once voting has opened gives
    no vote in that selection.
    """
    return voter_refusal(user, selection) is None


def voter_refusal(user, selection: Selection) -> str | None:
    """Why `user` may not vote in `selection` (a sentence), or None when they may."""
    body = electorate(selection.body)
    if not is_member(user, body.id):
        return _l("Only members of the %(name)s vote in this selection.", name=body.name)
    since = active_since(user, body.id)
    if since is None or since >= selection.voting_starts_at:
        return _l(
            "Only people who were members of the %(name)s before voting opened on %(voting_starts_at)s UTC vote in this selection; you joined later.",
            name=body.name,
            voting_starts_at=selection.voting_starts_at,
        )
    return None
