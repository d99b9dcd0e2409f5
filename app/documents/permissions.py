"""Who may do what with a document; every check reads the database at the time of the request."""

from app.bodies.queries import is_coordinator, is_member, is_team_member


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_admin(user) -> bool:
    return _authenticated(user) and bool(user.is_admin)


def can_participate(user) -> bool:
    """Any registered person: propose amendments, take positions, comment."""
    return _authenticated(user)


def can_edit_live(user, document) -> bool:
    """Co-edit the working draft: members of the owning (drafting) body and administrators."""
    return is_admin(user) or is_member(user, document.owner_body_id)


def can_decide(user, document) -> bool:
    """Accept or reject amendments, open and close periods, set paragraph status."""
    return is_admin(user) or is_coordinator(user, document.owner_body_id)


def can_translate(user, document) -> bool:
    return is_admin(user) or is_team_member(user, "translation")


def can_manage(user, document) -> bool:
    """Change a document's status or owner."""
    return can_decide(user, document)
