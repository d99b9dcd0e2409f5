"""The deliberation around amendments: amendment periods, paragraph statuses, comments.

Like services.py, every function checks permission on the document it acts on and never
commits.
"""

import logging
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.amendments.models import (
    PARAGRAPH_STATUSES,
    PENDING,
    Amendment,
    AmendmentComment,
    ParagraphStatus,
)
from app.amendments.permissions import (
    check_length,
    clean,
    current_paragraphs,
    require_decider,
    require_participant,
    speaking_for,
)
from app.core import signals
from app.core.errors import Conflict, NotFound, TooLarge, ValidationError
from app.core.locking import update_if
from app.core.timeutil import utcnow
from app.documents.models import Document
from app.extensions import db

log = logging.getLogger(__name__)


# The reminder to followers goes out this long before an amendment period closes.
REMINDER_BEFORE = timedelta(hours=24)


def set_amendment_period(document, user, *, open_: bool, closes_at: datetime | None = None) -> None:
    """Open (from drafting or closed) or close (from open) the amendment period.

    Opening may set when the period closes by itself (`closes_at`, in the future); opening
    again changes or removes that date, and the reminder a day before is due again.
    """
    require_participant(user)
    require_decider(user, document)
    if open_:
        if document.status not in ("drafting", "closed", "open"):
            raise Conflict(
                _l(
                    "A document with status %(status_label)s cannot be reopened.",
                    status_label=document.status_label,
                ),
                code="bad_status",
            )
        if closes_at is not None:
            if closes_at.tzinfo is None:
                closes_at = closes_at.replace(tzinfo=UTC)
            if closes_at <= utcnow():
                raise ValidationError(
                    _l("The closing date of the amendment period must be in the future."),
                    code="bad_closes_at",
                )
        document.amendments_close_at = closes_at
        document.close_reminder_at = None
        document.status = "open"
        signals.amendment_period_changed.send(document, actor=user, opened=True)
    else:
        if document.status not in ("open", "closed"):
            raise Conflict(_l("Only an open document can be closed."), code="bad_status")
        document.status = "closed"
        signals.amendment_period_changed.send(document, actor=user, opened=False)


def parse_closes_at(value) -> datetime | None:
    """The closing date typed in the page or sent to the API (ISO 8601; UTC when no zone)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValidationError(
            _l("closes_at is a date and time such as 2026-12-01T18:00Z."), code="bad_closes_at"
        )
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _l("closes_at is a date and time such as 2026-12-01T18:00Z."), code="bad_closes_at"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def take_due_reminders(now: datetime) -> list[Document]:
    """Open periods closing within a day whose reminder is not yet out; marks them reminded.

    Called by the mail worker's scheduler: marking in the same transaction as the reminder's
    notifications makes it go out once, however often the scheduler runs.
    """
    due = list(
        db.session.scalars(
            select(Document)
            .where(
                Document.status == "open",
                Document.amendments_close_at.is_not(None),
                Document.amendments_close_at > now,
                Document.amendments_close_at <= now + REMINDER_BEFORE,
                Document.close_reminder_at.is_(None),
            )
            .order_by(Document.id)
        )
    )
    # Claimed row by row with a conditional UPDATE: of two workers, one gets each reminder.
    return [
        document
        for document in due
        if update_if(document, Document.close_reminder_at.is_(None), close_reminder_at=now)
    ]


def close_expired_periods(now: datetime) -> list[Document]:
    """Close every open period whose closing date has passed; followers are told it closed."""
    expired = list(
        db.session.scalars(
            select(Document)
            .where(
                Document.status == "open",
                Document.amendments_close_at.is_not(None),
                Document.amendments_close_at <= now,
            )
            .order_by(Document.id)
        )
    )
    closed = []
    for document in expired:
        if update_if(document, Document.status == "open", status="closed"):
            log.info("amendment period of %s closed at its closing date", document.slug)
            signals.amendment_period_changed.send(document, actor=None, opened=False)
            closed.append(document)
    return closed


def set_paragraph_status(document, user, key: str, status: str, note: str = "") -> ParagraphStatus:
    require_participant(user)
    require_decider(user, document)
    if status not in PARAGRAPH_STATUSES:
        raise ValidationError(
            _l("The status must be open, bracketed, agreed_ad_ref or agreed."), code="bad_status"
        )
    _, keys, _ = current_paragraphs(document)
    if key not in keys:
        raise NotFound(_l("The document has no paragraph %(key)s.", key=repr(key)))
    note = clean(note)
    if len(note) > 300:
        raise TooLarge(_l("A status note has at most 300 characters."))
    row = ParagraphStatus(
        document_id=document.id, paragraph_key=key, status=status, note=note, set_by_id=user.id
    )
    db.session.add(row)
    db.session.flush()
    return row


def add_comment(amendment: Amendment, user, text: str, on_behalf_of=None) -> AmendmentComment:
    require_participant(user)
    text = clean(text)
    if not text:
        raise ValidationError(_l("The comment is empty."), code="empty_text")
    check_length(text, "comment")
    body = speaking_for(user, on_behalf_of)
    comment = AmendmentComment(
        amendment_id=amendment.id,
        author_id=user.id,
        text=text,
        on_behalf_body_id=body.id if body else None,
    )
    db.session.add(comment)
    db.session.flush()
    signals.amendment_commented.send(comment, actor=user, amendment=amendment)
    return comment


# --- reactions to new versions -------------------------------------------------------------


@signals.version_created.connect
def supersede_orphans(document, version=None, previous=None, **_):
    """Pending amendments whose paragraph (or insert anchor) the new version dropped are superseded."""
    if version is None:
        return
    keys = {p.key for p in version.paragraphs}
    orphans = db.session.scalars(
        select(Amendment).where(
            Amendment.document_id == document.id,
            Amendment.status.in_(PENDING),
            Amendment.paragraph_key.is_not(None),
            Amendment.paragraph_key.not_in(keys),
        )
    ).all()
    now = utcnow()
    for amendment in orphans:
        amendment.status = "superseded"
        amendment.updated_at = now
