"""List and reply addresses, and the signed tokens that links and addresses in mail carry."""

import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

REPLY_KINDS = {"thread": "t", "amendment": "a", "document": "d", "body": "b"}
_KIND_OF_LETTER = {letter: kind for kind, letter in REPLY_KINDS.items()}
# reply+u<user>-<kind letter><id>-<mac>: lower case, as some MTAs fold the local part.
_REPLY = re.compile(r"^reply\+u(\d{1,12})-([a-z])(\d{1,12})-([0-9a-f]{20})$")


@dataclass(frozen=True)
class ReplyTarget:
    user_id: int
    kind: str
    id: int


def list_domain() -> str:
    return current_app.config["LIST_DOMAIN"]


def list_address(slug: str) -> str:
    return f"{slug}@{list_domain()}"


def _mac(message: str) -> str:
    key = hashlib.sha256(b"reply-address:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:20]


def reply_address(user_id: int, target: str) -> str:
    """A per-recipient address whose token proves who may post a reply to `target` by mail."""
    kind, _, ident = target.partition(":")
    if kind not in REPLY_KINDS or not ident.isdigit():
        raise ValueError(f"unknown reply target {target!r}")
    local = f"u{int(user_id)}-{REPLY_KINDS[kind]}{int(ident)}"
    return f"reply+{local}-{_mac(local)}@{list_domain()}"


def read_reply_address(address: str) -> ReplyTarget | None:
    """The person and target of a reply address, or None when it is not one of ours or forged."""
    local, _, domain = (address or "").strip().strip("<>").rpartition("@")
    if domain.lower() != list_domain().lower():
        return None
    match = _REPLY.match(local.lower())
    if not match or match.group(2) not in _KIND_OF_LETTER:
        return None
    signed = f"u{match.group(1)}-{match.group(2)}{match.group(3)}"
    if not hmac.compare_digest(_mac(signed), match.group(4)):
        return None
    return ReplyTarget(int(match.group(1)), _KIND_OF_LETTER[match.group(2)], int(match.group(3)))


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return _cached_serializer(current_app.config["SECRET_KEY"], purpose)


@lru_cache(maxsize=32)
def _cached_serializer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    # Built once per key and purpose: a list fan-out signs one link per member.
    return URLSafeTimedSerializer(secret, salt=f"agora-mail-{purpose}")


def sign(purpose: str, payload) -> str:
    return _serializer(purpose).dumps(payload)


def unsign(purpose: str, token: str, max_age: int | None = None):
    """The payload of a token signed for `purpose`, or None when forged or (with max_age) expired."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None


def site_url(path: str) -> str:
    """An absolute link for mail: mail is read far from the request that caused it."""
    return current_app.config["SITE_ORIGIN"].rstrip("/") + path


def unsubscribe_token(user_id: int, scope: str) -> str:
    return sign("unsubscribe", [int(user_id), scope])


def unsubscribe_url(user_id: int, scope: str) -> str:
    """The one-click unsubscribe link (RFC 8058) for `list:<body_id>` or `follow:<follow_id>`."""
    return site_url(f"/mail/unsubscribe/{unsubscribe_token(user_id, scope)}")
