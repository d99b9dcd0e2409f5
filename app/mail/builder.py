"""Turn an outbox row into a MIME message with headers that mail clients and lists expect."""

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from app.core.timeutil import utcnow
from app.mail.addresses import list_address, list_domain

# Control characters (CR and LF above all) in a header value would start a new header.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
MAX_REFERENCES = 20

# Headers a caller may set; anything else is dropped rather than trusted.
ALLOWED_HEADERS = {
    "In-Reply-To",
    "References",
    "Reply-To",
    "List-Id",
    "List-Post",
    "List-Archive",
    "List-Help",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "Precedence",
    "X-Auto-Response-Suppress",
    "X-Agora-Kind",
    "X-Loop",
}


def clean_header(value: str, limit: int = 900) -> str:
    """A header value on one line: a subject typed on the web cannot add headers."""
    return _CONTROL.sub(" ", str(value or "")).strip()[:limit]


def list_headers(*, slug: str, name: str, archive_url: str, unsubscribe_url: str) -> dict:
    """RFC 2369 list headers plus RFC 8058 one-click unsubscribe."""
    label = clean_header(name, 120).replace('"', "'")
    return {
        "List-Id": f'"{label}" <{slug}.{list_domain()}>',
        "List-Post": f"<mailto:{list_address(slug)}>",
        "List-Archive": f"<{archive_url}>",
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def thread_headers(parent_message_id: str | None, references: list[str] | None = None) -> dict:
    """In-Reply-To and References so that clients thread a reply under its parent."""
    if not parent_message_id:
        return {}
    chain = [ref for ref in (references or []) if ref and ref != parent_message_id]
    chain = (chain + [parent_message_id])[-MAX_REFERENCES:]
    return {"In-Reply-To": parent_message_id, "References": " ".join(chain)}


def _address(value: str) -> str:
    """A From/To value rebuilt from its parts, so a display name cannot smuggle headers."""
    name, addr = parseaddr(clean_header(value, 320))
    if "@" not in addr:
        raise ValueError(f"not an e-mail address: {value!r}")
    username, _, domain = addr.rpartition("@")
    return str(Address(display_name=name, username=username, domain=domain))


def build_message(mail) -> EmailMessage:
    """The MIME message of an outbox row: text part, optional HTML part, safe headers."""
    message = EmailMessage()
    message["From"] = _address(mail.sender)
    message["To"] = _address(mail.recipient)
    message["Subject"] = clean_header(mail.subject)
    message["Date"] = format_datetime(mail.created_at or utcnow())
    message["Message-ID"] = clean_header(mail.message_id, 255)
    if mail.automatic:
        message["Auto-Submitted"] = "auto-generated"
        message["X-Auto-Response-Suppress"] = "All"
    for name, value in (mail.headers or {}).items():
        if name in ALLOWED_HEADERS and name not in message:
            message[name] = clean_header(value, 2000)
    message.set_content(mail.text or "", charset="utf-8")
    if mail.html:
        message.add_alternative(mail.html, subtype="html", charset="utf-8")
    return message
