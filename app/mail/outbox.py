"""Queue mail in the current transaction; the worker sends it after the commit."""

import secrets

from flask import current_app
from sqlalchemy import insert, select

from app.core.markdown import sanitize_html
from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.addresses import list_domain
from app.mail.models import QUEUED, MailAddress, OutboxMail


def new_message_id(hint: str = "") -> str:
    """A globally unique Message-ID under LIST_DOMAIN (stable once stored on a row)."""
    prefix = "".join(c for c in hint if c.isalnum() or c in ".-")[:40]
    token = secrets.token_hex(12)
    return f"<{prefix + '.' if prefix else ''}{token}@{list_domain()}>"


def _row(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    message_id: str | None = None,
    headers: dict | None = None,
    sender: str | None = None,
    automatic: bool = True,
    user_id: int | None = None,
    kind: str = "notification",
    sanitized: bool = False,
) -> dict:
    """One outbox row; `sanitized=True`: the caller's HTML already passed sanitize_html."""
    now = utcnow()
    return {
        "message_id": message_id or new_message_id(kind),
        "recipient": to.strip(),
        "user_id": user_id,
        "kind": kind[:32],
        "sender": sender or current_app.config["MAIL_FROM"],
        "subject": (subject or "")[:900],
        "text": text or "",
        "html": (html if sanitized else sanitize_html(html)) if html else None,
        "headers": {str(k): str(v) for k, v in (headers or {}).items()},
        "automatic": automatic,
        "status": QUEUED,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
    }


def queue_mail(**fields) -> OutboxMail:
    """Add one message to one recipient to the session; it is sent only if the caller commits."""
    mail = OutboxMail(**_row(**fields))
    db.session.add(mail)
    return mail


def queue_bulk(mails: list[dict]) -> int:
    """Queue many messages with one multi-row INSERT (a list post to every member)."""
    rows = [_row(**fields) for fields in mails]
    if rows:
        db.session.execute(insert(OutboxMail), rows)
    return len(rows)


def address_stopped(email: str) -> bool:
    return (
        db.session.scalar(select(MailAddress.stopped_at).where(MailAddress.email == email.lower()))
        is not None
    )


def mailable(user) -> bool:
    """Whether mail features may use this person's address: verified and not bouncing."""
    return (
        user is not None and user.email_verified_at is not None and not address_stopped(user.email)
    )
