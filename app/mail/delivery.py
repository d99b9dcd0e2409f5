"""The worker's half of the outbox: claim queued rows atomically, send, record the outcome.

A worker killed after the SMTP server accepted a message but before the row was marked sent
leaves the row claimed; once the claim's lease has passed another run sends it again with the
same Message-ID, so the receiving side can drop the copy. Nothing queued is ever lost.
"""

import contextlib
import hashlib
import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.policy import compat32
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy import and_, or_, select, update

from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.builder import build_message, envelope_sender
from app.mail.models import FAILED, QUEUED, SENDING, SENT, MailAddress, OutboxMail

log = logging.getLogger(__name__)
# smtplib sends bytes as they are: lines must already end in CRLF. Headers are kept on one
# line each (the builder bounds them under 998 characters).
SMTP_POLICY = compat32.clone(linesep="\r\n", max_line_length=998)
FILE_POLICY = compat32.clone(max_line_length=998)
CLAIM_LEASE = timedelta(minutes=10)
BATCH = 100


@dataclass
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    starttls: bool
    ssl: bool


def parse_mail_url(url: str) -> SmtpSettings:
    """smtp://[user:pass@]host:port[?starttls=1], or smtps:// for TLS from the first byte."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ValueError("MAIL_URL must look like smtp://[user:pass@]host:port[?starttls=1]")
    query = parse_qs(parts.query)
    ssl = parts.scheme == "smtps"
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if ssl else 25),
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        starttls=query.get("starttls", ["0"])[0] in {"1", "true", "yes"},
        ssl=ssl,
    )


def claim_batch(limit: int = BATCH) -> list[OutboxMail]:
    """Take up to `limit` due rows for this worker; a concurrent worker cannot take the same."""
    now = utcnow()
    due = or_(
        and_(OutboxMail.status == QUEUED, OutboxMail.next_attempt_at <= now),
        and_(OutboxMail.status == SENDING, OutboxMail.claimed_at < now - CLAIM_LEASE),
    )
    ids = select(OutboxMail.id).where(due).order_by(OutboxMail.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        # Locked until our commit; other workers skip these rows instead of waiting.
        ids = ids.with_for_update(skip_locked=True)
    picked = list(db.session.scalars(ids))
    if not picked:
        db.session.commit()
        return []
    claim = secrets.token_hex(16)
    # The condition is repeated in the UPDATE: a row another worker claimed in between no
    # longer matches it, so each row has exactly one owner.
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id.in_(picked), due)
        .values(status=SENDING, claimed_at=now, claimed_by=claim)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutboxMail).where(OutboxMail.claimed_by == claim).order_by(OutboxMail.id)
        )
    )


class _Transport:
    """One SMTP connection reused for a batch, or .eml files when MAIL_URL is not set."""

    def __init__(self, url: str | None, directory: str):
        self.settings = parse_mail_url(url) if url else None
        self.directory = Path(directory)
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.ssl:
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=30)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=30)
            if s.starttls:
                smtp.starttls()
        if s.user:
            smtp.login(s.user, s.password or "")
        return smtp

    def send(self, mail: OutboxMail) -> None:
        message = build_message(mail)
        if self.settings is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            # Named after Message-ID and recipient: a resend after a crash overwrites itself.
            digest = hashlib.sha256(f"{mail.message_id} {mail.recipient}".encode()).hexdigest()
            stamp = mail.created_at.strftime("%Y%m%dT%H%M%S")
            (self.directory / f"{stamp}-{digest[:16]}.eml").write_bytes(
                message.as_bytes(policy=FILE_POLICY)
            )
            return
        if self.smtp is None:
            self.smtp = self._connect()
        wire = message.as_bytes(policy=SMTP_POLICY)
        self.smtp.sendmail(envelope_sender(mail), [mail.recipient], wire)

    def reset(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            finally:
                self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            self.smtp = None


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _record_bounce(email: str) -> None:
    email = email.lower()
    address = db.session.get(MailAddress, email) or MailAddress(email=email, bounces=0)
    db.session.add(address)
    address.bounces = (address.bounces or 0) + 1
    address.last_bounce_at = utcnow()
    if address.bounces >= current_app.config["MAIL_BOUNCE_LIMIT"] and not address.stopped_at:
        address.stopped_at = utcnow()


def _stopped(emails: set[str]) -> set[str]:
    if not emails:
        return set()
    rows = db.session.scalars(
        select(MailAddress.email).where(
            MailAddress.email.in_([e.lower() for e in emails]), MailAddress.stopped_at.is_not(None)
        )
    )
    return set(rows)


def deliver_batch(limit: int = BATCH, transport: _Transport | None = None) -> int:
    """Send one claimed batch; answer how many rows were handled (0 when nothing is due)."""
    batch = claim_batch(limit)
    if not batch:
        return 0
    own = transport is None
    transport = transport or _Transport(
        current_app.config.get("MAIL_URL"), current_app.config["MAIL_DIR"]
    )
    stopped = _stopped({mail.recipient for mail in batch})
    try:
        for mail in batch:
            _deliver_one(mail, transport, stopped)
    finally:
        db.session.commit()
        if own:
            transport.close()
    return len(batch)


def _deliver_one(mail: OutboxMail, transport: _Transport, stopped: set[str]) -> None:
    mail.attempts += 1
    if mail.recipient.lower() in stopped:
        mail.status, mail.last_error = FAILED, "Not sent: the address bounced repeatedly."
        return
    try:
        transport.send(mail)
    except (TimeoutError, smtplib.SMTPException, OSError, ValueError) as error:
        transport.reset()
        mail.last_error = f"{type(error).__name__}: {error}"[:500]
        if isinstance(error, ValueError) or _is_permanent(error):
            mail.status = FAILED
            if not isinstance(error, ValueError):
                _record_bounce(mail.recipient)
        elif mail.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            mail.status = FAILED
        else:
            mail.status = QUEUED
            mail.next_attempt_at = utcnow() + _backoff(mail.attempts)
        mail.claimed_by = None
        log.warning("mail %s to %s: %s", mail.id, mail.recipient, mail.last_error)
        return
    mail.status, mail.sent_at, mail.last_error = SENT, utcnow(), ""
