"""What a one-click unsubscribe stops: a list's mail, or the mail of one follow."""

from flask_babel import gettext as _

from app.extensions import db
from app.mail.optouts import opt_out


def unsubscribe(user_id: int, scope: str) -> str:
    """Apply the unsubscribe and answer a sentence saying what stopped."""
    kind, _sep, ident = scope.partition(":")
    if kind == "list" and ident.isdigit():
        opt_out(user_id, scope)
        return _("You will no longer receive this list's mail. The archive stays open to you.")
    if kind == "follow" and ident.isdigit():
        from app.notifications.models import Follow

        follow = db.session.get(Follow, int(ident))
        if follow is not None and follow.user_id == user_id:
            follow.mail_muted = True
            db.session.flush()
        return _(
            "You will no longer receive mail about this; it still shows in your notifications."
        )
    return _("Nothing to unsubscribe from.")
