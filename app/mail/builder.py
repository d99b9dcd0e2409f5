"""Turn an outbox row into a MIME message with headers that mail clients and lists expect."""

import re
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr

from app.core.timeutil import utcnow
from app.mail.addresses import list_address, list_domain

# Control characters (CR and LF above all) in a header value would start a new header.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
MAX_REFERENCES = 20
# A header line may have 998 characters; keep room for the longest header name.
MAX_HEADER = 960

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
    if "@" not in addr or not addr.isascii():
        raise ValueError(f"not a deliverable e-mail address: {value!r}")
    return formataddr((name, addr), charset="utf-8")


def _header(value: str, limit: int = 900) -> str:
    """One line: ASCII as is; anything else as RFC 2047 encoded words (each within 75 characters).

    Messages are written unfolded up to 998 characters (see delivery.SMTP_POLICY), so a long
    URL in List-Unsubscribe is never moved onto a continuation line of its own.
    """
    value = clean_header(value, limit)
    if value.isascii():
        return value
    encoded = Header(value, "utf-8").encode(linesep=" ", maxlinelen=76)
    while len(encoded) > MAX_HEADER and value:
        value = value[: len(value) * 3 // 4]
        encoded = Header(value, "utf-8").encode(linesep=" ", maxlinelen=76)
    return encoded


def envelope_sender(mail) -> str:
    return parseaddr(clean_header(mail.sender, 320))[1]


def build_message(mail):
    """The MIME message of an outbox row: text part, optional HTML part, safe headers.

    Built with the email package's compat32 classes: for a fan-out to thousands they cost a
    fraction of the modern header objects, and every value passes through clean_header first.
    """
    text = MIMEText(mail.text or "", "plain", "utf-8")
    if mail.html:
        message = MIMEMultipart("alternative")
        message.attach(text)
        message.attach(MIMEText(mail.html, "html", "utf-8"))
    else:
        message = text
    message["From"] = _address(mail.sender)
    message["To"] = _address(mail.recipient)
    message["Subject"] = _header(mail.subject)
    message["Date"] = format_datetime(mail.created_at or utcnow())
    message["Message-ID"] = clean_header(mail.message_id, 255)
    if mail.automatic:
        message["Auto-Submitted"] = "auto-generated"
        message["X-Auto-Response-Suppress"] = "All"
    for name, value in (mail.headers or {}).items():
        if name in ALLOWED_HEADERS and name not in message:
            message[name] = _header(value, MAX_HEADER)
    return message
