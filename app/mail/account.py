"""Account mail: verifying an address, resetting a password, telling of credential changes."""

import hashlib
from html import escape

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.passwords import hash_password
from app.accounts.services import check_password_strength, normalize_email, renew_session_epoch
from app.core import signals
from app.core.errors import ValidationError
from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.addresses import sign, site_url, unsign
from app.mail.outbox import address_stopped, queue_mail

VERIFY_MAX_AGE = 7 * 24 * 3600


def _queue(user: User, to: str, subject: str, text: str, kind: str) -> None:
    if address_stopped(to):
        return
    html = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
    queue_mail(to=to, user_id=user.id, subject=subject, text=text, html=html, kind=kind)


def verification_token(user: User) -> str:
    return sign("verify", [user.id, user.email])


def verification_link(user: User) -> str:
    return site_url(f"/verify/{verification_token(user)}")


def queue_verification(user: User) -> None:
    _queue(
        user,
        user.email,
        "Confirm your e-mail address",
        f"Hello {user.name},\n\nConfirm that this address is yours to receive notifications "
        f"and to post to mailing lists by mail:\n\n{verification_link(user)}\n\n"
        "Your account works already; only mail waits for this confirmation.",
        "account:verify",
    )


def verify_address(token: str) -> User:
    """Mark the address in the token verified, if it is still the account's address."""
    payload = unsign("verify", token, max_age=VERIFY_MAX_AGE)
    user = db.session.get(User, payload[0]) if isinstance(payload, list) and payload else None
    if user is None or user.email != payload[1]:
        raise ValidationError(
            _l("This confirmation link is not valid (any more)."), code="bad_token"
        )
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.flush()
    return user


def _fingerprint(user: User) -> str:
    """Changes with the password, so a reset link works once: using it changes the hash."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    return sign("reset", [user.id, _fingerprint(user)])


def request_password_reset(email: str) -> None:
    """Queue a reset link if an account has this address; the caller answers the same either way."""
    try:
        address = normalize_email(email)
    except ValidationError:
        return
    user = db.session.scalar(select(User).where(User.email == address))
    if user is None:
        return
    link = site_url(f"/password/reset/{reset_token(user)}")
    minutes = current_app.config["MAIL_TOKEN_MAX_AGE"] // 60
    _queue(
        user,
        user.email,
        "Reset your password",
        f"Hello {user.name},\n\nSomeone (we hope you) asked to reset your password. Choose a new "
        f"one here within {minutes} minutes; the link works once:\n\n{link}\n\n"
        "If you did not ask, ignore this mail: your password stays as it is.",
        "account:reset",
    )


def user_for_reset(token: str) -> User:
    payload = unsign("reset", token, max_age=current_app.config["MAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload[0]) if isinstance(payload, list) and payload else None
    if user is None or payload[1] != _fingerprint(user):
        raise ValidationError(
            _l("This reset link is not valid: it expired or was already used."), code="bad_token"
        )
    return user


def reset_password(token: str, password: str) -> User:
    """Set a new password from a reset link; every session of the account ends."""
    user = user_for_reset(token)
    check_password_strength(password, email=user.email, name=user.name)
    user.password_hash = hash_password(password)
    renew_session_epoch(user)
    # The link reached this mailbox: the address is proven too.
    user.email_verified_at = user.email_verified_at or utcnow()
    db.session.flush()
    signals.credentials_changed.send(user, what="password")
    return user


# --- receivers -----------------------------------------------------------------------------


def on_user_registered(user, verified=False, **_):
    if not verified:
        queue_verification(user)


def on_credentials_changed(user, what="", old_email=None, **_):
    """Tell the (old) address: a takeover is noticed by the person who still reads it."""
    from sqlalchemy import inspect

    if what == "email":
        history = inspect(user).attrs.email.history
        old = old_email or (history.deleted[0] if history.deleted else None)
        if old and old != user.email:
            _queue(
                user,
                old,
                "Your e-mail address was changed",
                f"Hello {user.name},\n\nThe e-mail address of your account was changed from "
                f"this address to another. If you did not do this, reset your password at "
                f"{site_url('/password/forgot')} and write to an administrator.",
                "account:notice",
            )
        user.email_verified_at = None
        queue_verification(user)
        return
    _queue(
        user,
        user.email,
        "Your password was changed",
        f"Hello {user.name},\n\nThe password of your account was just changed. If this was not "
        f"you, reset it now at {site_url('/password/forgot')}.",
        "account:notice",
    )


def on_registration_for_taken_email(user, **_):
    _queue(
        user,
        user.email,
        "Someone tried to register with your address",
        f"Hello {user.name},\n\nSomeone tried to create an account with this address, which "
        f"already has one. If it was you, log in at {site_url('/login')}, or reset your "
        f"password at {site_url('/password/forgot')}. Otherwise you can ignore this mail.",
        "account:notice",
    )


def connect() -> None:
    signals.user_registered.connect(on_user_registered, weak=False)
    signals.credentials_changed.connect(on_credentials_changed, weak=False)
    signals.registration_for_taken_email.connect(on_registration_for_taken_email, weak=False)
