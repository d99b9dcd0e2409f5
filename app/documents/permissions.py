"""Who may do what with a document; every check reads the database at the time of the request."""

from app.bodies.queries import is_coordinator, is_member, is_team_member


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_admin(user) -> bool:
    return _authenticated(user) and bool(user.is_admin)


def can_participate(user) -> bool:
    """Any registered person: propose amendments, take positions, comment."""
    return _authenticated(user)


def is_drafting_team(body) -> bool:
    return body is not None and body.kind == "team" and body.team_role == "drafting"


def can_edit_live(user, document) -> bool:
    """Co-edit the working draft: the drafting team co-edits, the owning body's coordinators decide.

    Administrators; coordinators of the owning body; when a drafting team owns the document, its
    active members; otherwise (another kind of body, or no owner) active members of any drafting
    team. Joining an open caucus that owns a document never grants editing by itself.
    app.coedit.queries.sync_access computes the same rule in SQL: change both together.
    """
    if not _authenticated(user):
        return False
    if is_admin(user) or is_coordinator(user, document.owner_body_id):
        return True
    owner = document.owner
    if is_drafting_team(owner):
        return is_member(user, owner.id)
    return is_team_member(user, "drafting")


def can_decide(user, document) -> bool:
    """Accept or reject amendments, open and close periods, set paragraph status."""
    return is_admin(user) or is_coordinator(user, document.owner_body_id)


def can_translate(user, document) -> bool:
    return is_admin(user) or is_team_member(user, "translation")


def can_manage(user, document) -> bool:
    """Change a document's status or owner."""
    return can_decide(user, document)
