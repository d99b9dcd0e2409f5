"""Template helpers of trust: who is an administrator or a focal point, read once a request."""

from flask import g
from flask_babel import gettext as _

from app.accounts.groups import can_vouch_for as check
from app.accounts.groups import focal_point_groups
from app.accounts.models import STAKEHOLDER_GROUPS


def trust_roles(user) -> list[str]:
    """The badges a person carries wherever their name shows: administrator, focal point."""
    if user is None or getattr(user, "id", None) is None:
        return []

    if "_focal_point_groups" not in g:
        g._focal_point_groups = focal_point_groups()
    roles = [_("Administrator")] if user.is_admin else []
    roles += [
        _("Focal point · %(group)s", group=STAKEHOLDER_GROUPS.get(group, group))
        for group in g._focal_point_groups.get(user.id, [])
    ]
    return roles


def can_vouch_for(group: str) -> bool:
    from flask_login import current_user

    return check(current_user, group)


def register(app) -> None:
    app.jinja_env.globals["STAKEHOLDER_GROUPS"] = STAKEHOLDER_GROUPS
    app.jinja_env.globals["trust_roles"] = trust_roles
    app.jinja_env.globals["can_vouch_for"] = can_vouch_for
