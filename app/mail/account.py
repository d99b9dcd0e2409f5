"""Account mail: verifying an address, resetting a password, telling of credential changes."""

import hashlib
from html import escape

from flask import current_app
from flask_babel import gettext as _
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
from app.mail.language import html_document, in_language_of, language_of
from app.mail.outbox import address_stopped, queue_mail

VERIFY_MAX_AGE = 7 * 24 * 3600


def _queue(user: User, to: str, subject, paragraphs: list, kind: str) -> None:
    """Queue one account mail, its words rendered in the person's interface language."""
    if address_stopped(to):
        return
    with in_language_of(user):
        subject = str(subject)
        paragraphs = [str(p) for p in [_("Hello %(name)s,", name=user.name), *paragraphs]]
    text = "\n\n".join(paragraphs)
    html = html_document(
        "".join(f"<p>{escape(p)}</p>" for p in paragraphs), language_of(user), sanitized=True
    )
    queue_mail(
        to=to, user_id=user.id, subject=subject, text=text, html=html, sanitized=True, kind=kind
    )


def verification_token(user: User) -> str:
    return sign("verify", [user.id, user.email])


def verification_link(user: User) -> str:
    return site_url(f"/verify/{verification_token(user)}")


def queue_verification(user: User) -> None:
    _queue(
        user,
        user.email,
        _l("Confirm your e-mail address"),
        [
            _l(
                "Confirm that this address is yours to receive notifications and to post to "
                "mailing lists by mail:"
            ),
            verification_link(user),
            _l("Your account works already; only mail waits for this confirmation."),
        ],
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
        _l("Reset your password"),
        [
            _l(
                "Someone (we hope you) asked to reset your password. Choose a new one here "
                "within %(minutes)s minutes; the link works once:",
                minutes=minutes,
            ),
            link,
            _l("If you did not ask, ignore this mail: your password stays as it is."),
        ],
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
                _l("Your e-mail address was changed"),
                [
                    _l(
                        "The e-mail address of your account was changed from this address to "
                        "another. If you did not do this, reset your password at %(url)s and "
                        "write to an administrator.",
                        url=site_url("/password/forgot"),
                    )
                ],
                "account:notice",
            )
        user.email_verified_at = None
        queue_verification(user)
        return
    _queue(
        user,
        user.email,
        _l("Your password was changed"),
        [
            _l(
                "The password of your account was just changed. If this was not you, reset it "
                "now at %(url)s.",
                url=site_url("/password/forgot"),
            )
        ],
        "account:notice",
    )


def on_registration_for_taken_email(user, **_):
    _queue(
        user,
        user.email,
        _l("Someone tried to register with your address"),
        [
            _l(
                "Someone tried to create an account with this address, which already has one. "
                "If it was you, log in at %(login)s, or reset your password at %(reset)s. "
                "Otherwise you can ignore this mail.",
                login=site_url("/login"),
                reset=site_url("/password/forgot"),
            )
        ],
        "account:notice",
    )


def connect() -> None:
    signals.user_registered.connect(on_user_registered, weak=False)
    signals.credentials_changed.connect(on_credentials_changed, weak=False)
    signals.registration_for_taken_email.connect(on_registration_for_taken_email, weak=False)
