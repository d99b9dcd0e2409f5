"""Registering people, signing them in and managing their API tokens."""

import hashlib
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import STAKEHOLDER_GROUPS, ApiToken, User
from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.accounts.regions import region_of
from app.core import signals
from app.core.errors import NotFound, ValidationError
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


def register_user(
    *,
    email: str,
    name: str,
    password: str,
    group: str,
    country: str,
    organization: str = "",
    is_admin: bool = False,
) -> User:
    """Create a participant; every registrant takes part at once (no accreditation step)."""
    email = normalize_email(email)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_l("A name is required."))
    if len(name) > 120:
        raise ValidationError(_l("A name has at most 120 characters."))
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
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ValidationError(_l("An account with this e-mail address already exists."))
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password),
        group=group,
        organization=(organization or "").strip(),
        is_admin=is_admin,
    )
    user.set_country(country)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with these credentials, or None; upgrades old hashes on the way."""
    try:
        email = normalize_email(email)
    except ValidationError:
        return None
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not verify_password(user.password_hash, password):
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


def update_profile(user: User, *, name: str, organization: str, country: str, group: str) -> User:
    """Change the details others see; the country also sets region and North/South."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_l("A name is required."))
    if len(name) > 120:
        raise ValidationError(_l("A name has at most 120 characters."))
    organization = (organization or "").strip()
    if len(organization) > 200:
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
    before = {
        "name": user.name,
        "organization": user.organization,
        "group": user.group,
        "country": user.country,
    }
    user.name = name
    user.organization = organization
    user.group = group
    user.set_country(country)
    db.session.flush()
    after = {
        "name": user.name,
        "organization": user.organization,
        "group": user.group,
        "country": user.country,
    }
    fields = [field for field in before if before[field] != after[field]]
    if fields:
        signals.profile_changed.send(user, actor=user, fields=fields, before=before, after=after)
    return user


def change_password(user: User, *, current: str, new: str) -> None:
    """Set a new password after checking the current one."""
    if not verify_password(user.password_hash, current or ""):
        raise ValidationError(_l("The current password is not correct."))
    check_password_strength(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new)
    db.session.flush()
    signals.credentials_changed.send(user, what="password")


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.created_at, User.id)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such person."))
    return user
