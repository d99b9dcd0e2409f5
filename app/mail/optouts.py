"""Who gets list mail: the person's list_mail choice, minus lists left by one-click unsubscribe."""

from sqlalchemy import false, func, select

from app.accounts.models import User
from app.bodies.models import ACTIVE, Membership
from app.extensions import db
from app.mail.models import MailOptOut
from app.mail.outbox import mailable

# Whether a person takes list mail at all is one of their notification preferences, a layer
# above mail: notifications registers a select of the ids (labelled user_id) of the people who
# turned it off. Until it does, nobody has.
_list_mail_off = {"select": lambda: select(User.id.label("user_id")).where(false())}


def provide_list_mail_off(select_user_ids) -> None:
    """Register `select_user_ids() -> Select` of the people who turned list mail off."""
    _list_mail_off["select"] = select_user_ids


def list_mail_off():
    """A select of the ids (column user_id) of the people who turned list mail off."""
    return _list_mail_off["select"]()


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
    user_id = getattr(user, "id", user)
    off = list_mail_off().subquery()
    turned_off = db.session.scalar(
        select(func.count()).select_from(off).where(off.c.user_id == user_id)
    )
    return not turned_off and not is_opted_out(user_id, f"list:{body_id}")


def set_list_mail(user, body_id: int, on: bool) -> None:
    user_id = getattr(user, "id", user)
    (opt_in if on else opt_out)(user_id, f"list:{body_id}")


def gets_list_copy(user_id: int, body_id: int) -> bool:
    """Whether this person receives the body's list mail (active member, verified, wanting it)."""
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
