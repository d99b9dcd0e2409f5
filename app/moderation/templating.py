"""Template helpers: what is hidden and why, and whether the viewer moderates."""

from flask_login import current_user

from app.moderation import permissions
from app.moderation.models import TARGET_KINDS
from app.moderation.queries import hidden_reason


def _is_moderator() -> bool:
    return permissions.is_moderator(current_user)


def register(app) -> None:
    app.jinja_env.globals["hidden_reason"] = hidden_reason
    app.jinja_env.globals["is_moderator"] = _is_moderator
    app.jinja_env.globals["REPORT_TARGET_KINDS"] = TARGET_KINDS
