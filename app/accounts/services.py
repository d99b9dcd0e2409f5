"""Registering people, signing them in and managing their API tokens."""

import hashlib
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.groups import request_group_change
from app.accounts.models import STAKEHOLDER_GROUPS, ApiToken, User
from app.accounts.names import name_skeleton, refuse_unsafe_name
from app.accounts.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from app.accounts.regions import region_of
from app.core import signals
from app.core.errors import NotFound, ValidationError
from app.core.locking import insert_unique
from app.core.timeutil import utcnow
from app.extensions import db

TOKEN_PREFIX = "agora_"
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def normalize_email(email: str) -> str:
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ValidationError(_l("Invalid e-mail address: %(error)s", error=error)) from error


def check_password_strength(password: str, *, email: str = "", name: str = "") -> None:
    """Refuse short passwords and ones built from the account's own name or address."""
    from flask import current_app

    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        raise ValidationError(
            _l("The password must have at least %(minimum)s characters.", minimum=minimum)
        )
    lowered = password.lower()
    local = email.split("@")[0].lower()
    if (
        len(set(password)) < 5
        or (local and len(local) >= 4 and local in lowered)
        or (name and len(name) >= 4 and name.lower().replace(" ", "") in lowered.replace(" ", ""))
    ):
        raise ValidationError(
            _l("The password is too easy to guess; choose a longer, less predictable one.")
        )
    if lowered in {"password123", "1234567890", "qwertyuiop", "letmein123", "passwordpassword"}:
        raise ValidationError(
            _l("The password is too easy to guess; choose a longer, less predictable one.")
        )


def check_display_name(name: str, *, user_id: int | None = None) -> str:
    """The cleaned name, or a refusal: bidi controls, or a look-alike of another person's name."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_l("A name is required."))
    if len(name) > 120:
        raise ValidationError(_l("A name has at most 120 characters."))
    refuse_unsafe_name(name)
    key = name_skeleton(name)
    if not key:
        raise ValidationError(_l("A name needs at least one letter or digit."), code="name_invalid")
    query = select(User.id).where(User.name_key == key)
    if user_id is not None:
        query = query.where(User.id != user_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise ValidationError(
            _l(
                "This name is, or looks like, the name of another participant; add your organization or another name so that nobody can take one of you for the other."
            ),
            code="name_imitates",
        )
    return name


def _email_registered(email: str) -> bool:
    return db.session.scalar(select(User.id).where(User.email == email)) is not None


def register_user(
    *,
    email: str,
    name: str,
    password: str,
    group: str,
    country: str,
    organization: str = "",
    is_admin: bool = False,
    verified: bool = False,
) -> User:
    """Create a participant; every registrant takes part at once (no accreditation step).

    `verified` takes the address as proven (accounts an administrator creates); otherwise a
    verification link is mailed and only mail features wait for it.
    """
    email = normalize_email(email)
    try:
        name = check_display_name(name)
    except ValidationError as error:
        # Registering again under one's own name must answer as any taken address does (also
        # when a parallel registration of the same address has just committed).
        if error.code == "name_imitates" and _email_registered(email):
            raise _email_taken() from None
        raise
    if len((organization or "").strip()) > 200:
        raise ValidationError(_l("An organization name has at most 200 characters."))
    if group not in STAKEHOLDER_GROUPS:
        raise ValidationError(
            _l(
                "Unknown stakeholder group %(group)s; choose one of %(STAKEHOLDER_GROUPS)s.",
                group=repr(group),
                STAKEHOLDER_GROUPS=", ".join(STAKEHOLDER_GROUPS),
            )
        )
    if not region_of(country):
        raise ValidationError(_l("Unknown country code %(country)s.", country=repr(country)))
    check_password_strength(password, email=email, name=name)
    # Hashed before the look-up so that a taken address costs the same time as a free one.
    password_hash = hash_password(password)
    if _email_registered(email):
        raise _email_taken()
    user = User(
        email=email,
        name=name,
        name_key=name_skeleton(name),
        password_hash=password_hash,
        group=group,
        organization=(organization or "").strip(),
        is_admin=is_admin,
        email_verified_at=utcnow() if verified else None,
    )
    user.set_country(country)
    insert_unique(_email_taken(), user)  # a parallel registration of the address may win
    signals.user_registered.send(user, verified=verified)
    return user


EMAIL_TAKEN = "email_taken"


def _email_taken() -> ValidationError:
    return ValidationError(
        _l("An account with this e-mail address already exists."), code=EMAIL_TAKEN
    )


def owner_of_email(email: str) -> User | None:
    """The account registered with `email` (normalised), or None."""
    try:
        email = normalize_email(email)
    except ValidationError:
        return None
    return db.session.scalar(select(User).where(User.email == email))


def authenticate(email: str, password: str) -> User | None:
    """The user with these credentials, or None; upgrades old hashes on the way."""
    try:
        email = normalize_email(email)
    except ValidationError:
        return None
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        # Same work as for a real account: the answer's timing does not tell who is registered.
        verify_password(dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def renew_session_epoch(user: User) -> None:
    """Invalidate every session cookie issued before: logging out ends every session of the account."""
    user.session_epoch = (user.session_epoch or 0) + 1


def load_user_from_session(user_id: str) -> User | None:
    ident, _, epoch = (user_id or "").partition(":")
    if not ident.isdigit() or not epoch.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.session_epoch != int(epoch):
        return None
    return user


def get_user_by_email(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise NotFound(_l("No account with e-mail %(email)s.", email=email))
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, name: str = "API token") -> tuple[ApiToken, str]:
    """Create a token and return it with its plain value, which is shown once and never stored."""
    name = (name or "").strip() or "API token"
    if len(name) > 80:
        raise ValidationError(_l("A token name has at most 80 characters."))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, token_hash=_token_hash(plain), prefix=plain[: len(TOKEN_PREFIX) + 4]
    )
    db.session.add(token)
    db.session.flush()
    return token, plain


def revoke_api_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_l("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def user_for_token(plain: str) -> User | None:
    """The owner of an active token, or None; notes when the token was last used."""
    if not plain or not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    token = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _token_hash(plain), ApiToken.revoked_at.is_(None)
        )
    )
    if token is None:
        return None
    _mark_token_used(token)
    return token.user


def _mark_token_used(token: ApiToken) -> None:
    """Record the use at most once a minute, in its own short statement, so reads stay cheap."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_RESOLUTION:
        return
    # A conditional UPDATE: parallel requests write it once, and a failed request keeps it.
    stale = now - TOKEN_USE_RESOLUTION
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id)
        .where(or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < stale))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(token, "last_used_at", now)


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked ones included, marked as such)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def update_profile(
    user: User, *, name: str, organization: str, country: str, group: str | None = None
):
    """Change the details others see; the country also sets region and North/South.

    A different stakeholder group is not applied but requested (app/accounts/groups.py): the
    request is returned, or None when the group stays.
    """
    name = check_display_name(name, user_id=user.id)
    organization = (organization or "").strip()
    if len(organization) > 200:
        raise ValidationError(_l("An organization name has at most 200 characters."))
    if group is not None and group not in STAKEHOLDER_GROUPS:
        raise ValidationError(
            _l(
                "Unknown stakeholder group %(group)s; choose one of %(STAKEHOLDER_GROUPS)s.",
                group=repr(group),
                STAKEHOLDER_GROUPS=", ".join(STAKEHOLDER_GROUPS),
            )
        )
    if not region_of(country):
        raise ValidationError(_l("Unknown country code %(country)s.", country=repr(country)))
    before = {"name": user.name, "organization": user.organization, "country": user.country}
    user.name = name
    user.name_key = name_skeleton(name)
    user.organization = organization
    user.set_country(country)
    db.session.flush()
    after = {"name": user.name, "organization": user.organization, "country": user.country}
    fields = [field for field in before if before[field] != after[field]]
    if fields:
        signals.profile_changed.send(user, actor=user, fields=fields, before=before, after=after)
    if group is not None:
        # Asking for one's own group withdraws a pending request.
        return request_group_change(user, group)
    return None


def change_password(user: User, *, current: str, new: str) -> None:
    """Set a new password after checking the current one."""
    if not verify_password(user.password_hash, current or ""):
        raise ValidationError(_l("The current password is not correct."))
    check_password_strength(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new)
    renew_session_epoch(user)
    db.session.flush()
    signals.credentials_changed.send(user, what="password")


def change_email(user: User, *, password: str, email: str) -> None:
    """Move the account to another address after checking the password.

    Every session of the account ends (the caller starts a fresh one for the current
    browser). A taken address gets the same answer as a free one would refuse to reveal:
    the change is refused with a message that does not say whether it is registered.
    """
    if not verify_password(user.password_hash, password or ""):
        raise ValidationError(_l("The current password is not correct."))
    email = normalize_email(email)
    if email == user.email:
        raise ValidationError(_l("This is already your e-mail address."))
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ValidationError(_l("This e-mail address cannot be used; choose another one."))
    old_email = user.email
    user.email = email
    renew_session_epoch(user)
    insert_unique(ValidationError(_l("This e-mail address cannot be used; choose another one.")))
    signals.credentials_changed.send(user, what="email", old_email=old_email)


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.created_at, User.id)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such person."))
    return user
