"""The deliberation around amendments: amendment periods, paragraph statuses, comments.

Like services.py, every function checks permission on the document it acts on and never
commits.
"""

import logging

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
from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)


def set_amendment_period(document, user, *, open_: bool) -> None:
    """Open (from drafting or closed) or close (from open) the amendment period."""
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
        document.status = "open"
        signals.amendment_period_changed.send(document, actor=user, opened=True)
    else:
        if document.status not in ("open", "closed"):
            raise Conflict(_l("Only an open document can be closed."), code="bad_status")
        document.status = "closed"
        signals.amendment_period_changed.send(document, actor=user, opened=False)


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
