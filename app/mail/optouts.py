"""Who gets list mail: the person's list_mail choice, minus lists left by one-click unsubscribe."""

from sqlalchemy import select

from app.extensions import db
from app.mail.models import MailOptOut


def is_opted_out(user_id: int, scope: str) -> bool:
    return (
        db.session.scalar(
            select(MailOptOut.id).where(MailOptOut.user_id == user_id, MailOptOut.scope == scope)
        )
        is not None
    )


def opt_out(user_id: int, scope: str) -> None:
    if not is_opted_out(user_id, scope):
        db.session.add(MailOptOut(user_id=user_id, scope=scope[:64]))
        db.session.flush()


def opt_in(user_id: int, scope: str) -> None:
    for row in db.session.scalars(
        select(MailOptOut).where(MailOptOut.user_id == user_id, MailOptOut.scope == scope)
    ):
        db.session.delete(row)
    db.session.flush()


def wants_list_mail(user, body_id: int) -> bool:
    """The person's list_mail preference is on and they did not leave this list's mail."""
    from app.notifications.services import preference_of

    user_id = getattr(user, "id", user)
    return preference_of(user_id).list_mail and not is_opted_out(user_id, f"list:{body_id}")


def set_list_mail(user, body_id: int, on: bool) -> None:
    user_id = getattr(user, "id", user)
    (opt_in if on else opt_out)(user_id, f"list:{body_id}")


def gets_list_copy(user_id: int, body_id: int) -> bool:
    """Whether this person receives the body's list mail (active member, verified, wanting it)."""
    from app.accounts.models import User
    from app.bodies.models import ACTIVE, Membership
    from app.mail.outbox import mailable

    member = db.session.scalar(
        select(Membership.id).where(
            Membership.body_id == body_id,
            Membership.user_id == user_id,
            Membership.status == ACTIVE,
        )
    )
    return (
        member is not None
        and wants_list_mail(user_id, body_id)
        and mailable(db.session.get(User, user_id))
    )
