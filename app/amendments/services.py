"""Proposing, weighing, deciding and rebasing amendments; paragraph statuses; comments.

Every function takes the acting user and checks permission on that very amendment and
document, so the pages, the API and the command line share one set of rules. Nothing here
commits: the caller commits once.
"""

import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from app.amendments.models import (
    KINDS,
    PARAGRAPH_STATUSES,
    PENDING,
    STANCES,
    Amendment,
    AmendmentComment,
    ParagraphStatus,
    Position,
    attribution,
)
from app.amendments.rebase import rebase_text
from app.bodies.queries import body_by_slug, is_member
from app.core import signals
from app.core.errors import Conflict, Forbidden, NotFound, TooLarge, ValidationError
from app.core.timeutil import utcnow
from app.documents import permissions
from app.documents.models import Version
from app.documents.services import append_version, new_paragraph_key
from app.documents.splitting import split_paragraphs
from app.extensions import db

log = logging.getLogger(__name__)

RATIONALE_MAX = 5000


# --- helpers -------------------------------------------------------------------------------

def _require_participant(user) -> None:
    if not permissions.can_participate(user):
        raise Forbidden("Log in to take part.")


def _require_decider(user, document) -> None:
    if not permissions.can_decide(user, document):
        raise Forbidden(
            "Only coordinators of the body that owns this document and administrators may decide."
        )


def _clean(text) -> str:
    return str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _check_length(text: str, what: str) -> None:
    limit = current_app.config["AMENDMENT_MAX_TEXT"]
    if len(text) > limit:
        raise TooLarge(f"The {what} has {len(text)} characters; the limit is {limit}.")


def _speaking_for(user, on_behalf_of):
    """The body a contribution speaks for (by slug), checked against active membership now."""
    if not on_behalf_of:
        return None
    body = on_behalf_of if hasattr(on_behalf_of, "slug") else body_by_slug(str(on_behalf_of))
    if body is None:
        raise ValidationError(f"No body {on_behalf_of!r}.", code="unknown_body")
    if not is_member(user, body.id):
        raise Forbidden(f"You can speak on behalf of {body.name} only as an active member.")
    return body


def _current(document) -> tuple[Version, list[str], list[str]]:
    version = document.current_version
    if version is None:
        raise ValidationError("The document has no version yet.")
    return version, [p.key for p in version.paragraphs], [p.text for p in version.paragraphs]


def _require_open(document) -> None:
    if document.status != "open":
        raise Conflict(
            f"{document.title} is not open for amendments (status: {document.status_label}).",
            code="document_closed",
        )


# --- proposing -----------------------------------------------------------------------------

def propose_amendment(
    document, user, *, kind: str, paragraph: str | None = None, after: str | None = None,
    text: str = "", rationale: str = "", on_behalf_of=None, version: int | None = None,
) -> Amendment:
    """Propose to modify, insert or delete a paragraph of the document's current version.

    `version` (a version number) is the text the proposer saw; when the paragraph changed
    since, the proposal is refused with today's text rather than stored against stale text.
    """
    _require_participant(user)
    _require_open(document)
    if kind not in KINDS:
        raise ValidationError(f"Unknown kind {kind!r}; use modify, insert or delete.", code="bad_kind")
    text, rationale = _clean(text), _clean(rationale)
    if not rationale:
        raise ValidationError("Give a rationale: why should the text change?", code="rationale_required")
    if len(rationale) > RATIONALE_MAX:
        raise TooLarge(f"The rationale has {len(rationale)} characters; the limit is {RATIONALE_MAX}.")
    _check_length(text, "proposed text")
    body = _speaking_for(user, on_behalf_of)
    current, keys, texts = _current(document)

    if kind == "insert":
        anchor = after if after not in ("", "^") else None
        if anchor is not None and anchor not in keys:
            raise ValidationError(f"The document has no paragraph {anchor!r}.", code="unknown_paragraph")
        if not text:
            raise ValidationError("The new paragraph is empty.", code="empty_text")
        base_text = texts[keys.index(anchor)] if anchor else ""
        key = anchor
    else:
        if not paragraph or paragraph not in keys:
            raise ValidationError(
                f"The document has no paragraph {paragraph!r}.", code="unknown_paragraph"
            )
        key = paragraph
        base_text = texts[keys.index(key)]
        if kind == "modify":
            if not text:
                raise ValidationError(
                    "The proposed text is empty; propose a deletion to remove the paragraph.",
                    code="empty_text",
                )
            if text == base_text.strip():
                raise ValidationError("The proposed text is the same as the paragraph.", code="unchanged")
        else:
            text = ""
    _check_seen_version(document, current, version, kind, key, base_text)

    amendment = Amendment(
        document_id=document.id, base_version_id=current.id, kind=kind, paragraph_key=key,
        base_text=base_text, text=text, rationale=rationale, proposer_id=user.id,
        proposer_group=user.group, on_behalf_body_id=body.id if body else None, status="proposed",
        revision=1,
    )
    db.session.add(amendment)
    db.session.flush()
    log.info("amendment #%s proposed on %s by user %s", amendment.id, document.slug, user.id)
    return amendment


def _check_seen_version(document, current, number, kind, key, base_text) -> None:
    if number in (None, "", current.number):
        return
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise ValidationError("The version must be a version number.", code="bad_version") from None
    if number == current.number:
        return
    seen = db.session.scalar(
        select(Version).where(Version.document_id == document.id, Version.number == number)
    )
    if seen is None:
        raise ValidationError(f"{document.title} has no version {number}.", code="bad_version")
    if key is None:  # an insert at the start does not depend on any paragraph
        return
    old = next((p.text for p in seen.paragraphs if p.key == key), None)
    if old != base_text:
        raise Conflict(
            f"The paragraph changed since {seen.label} (the text is now at {current.label}); "
            "write your amendment against today's text.",
            code="stale_version", details={"current_version": current.number, "current_text": base_text},
        )


# --- positions -----------------------------------------------------------------------------

def _require_weighable(amendment: Amendment) -> None:
    if amendment.status != "proposed":
        raise Conflict(f"Amendment #{amendment.id} is {amendment.status_label.lower()}: "
                       "positions are taken only on proposed amendments.", code="not_pending")
    _require_open(amendment.document)


def set_position(amendment: Amendment, user, stance: str) -> Position:
    """Take or change the user's one position (an upsert: parallel requests leave one row)."""
    _require_participant(user)
    if stance not in STANCES:
        raise ValidationError("The stance must be support, oppose or abstain.", code="bad_stance")
    _require_weighable(amendment)
    now = utcnow()
    values = {
        "amendment_id": amendment.id, "user_id": user.id, "stance": stance,
        "revision": amendment.revision, "base_version_id": amendment.base_version_id,
        "created_at": now, "updated_at": now,
    }
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Position).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["amendment_id", "user_id"],
        set_={"stance": statement.excluded.stance, "revision": statement.excluded.revision,
              "base_version_id": statement.excluded.base_version_id,
              "updated_at": statement.excluded.updated_at},
    )
    db.session.execute(statement)
    position = db.session.scalar(
        select(Position).where(Position.amendment_id == amendment.id, Position.user_id == user.id)
        .execution_options(populate_existing=True)
    )
    return position


def withdraw_position(amendment: Amendment, user) -> bool:
    """Withdraw the user's position; True when there was one."""
    _require_participant(user)
    _require_weighable(amendment)
    result = db.session.execute(
        delete(Position).where(Position.amendment_id == amendment.id, Position.user_id == user.id)
    )
    return bool(result.rowcount)


# --- decisions -----------------------------------------------------------------------------

@dataclass
class AcceptResult:
    amendment: Amendment
    version: Version | None = None
    conflict: dict | None = None

    @property
    def ok(self) -> bool:
        return self.version is not None


def _decide(amendment: Amendment, user, status: str) -> None:
    amendment.status = status
    amendment.decided_by_id = user.id
    amendment.decided_at = amendment.updated_at = utcnow()


def _require_decidable(amendment: Amendment, user) -> None:
    _require_decider(user, amendment.document)
    if amendment.document.status == "adopted":
        raise Conflict("The document is adopted; its amendments are closed.", code="document_adopted")


def accept_amendment(amendment: Amendment, user) -> AcceptResult:
    """Rebase onto today's paragraph and merge as a new version, or mark a conflict.

    A conflict (or a superseded amendment) is a result, not an exception, so that the caller
    commits the new status before answering 409.
    """
    _require_decidable(amendment, user)
    if amendment.status == "conflict":
        raise Conflict(f"Amendment #{amendment.id} conflicts with today's text; "
                       "its proposer must rebase it first.", code="needs_rebase")
    if amendment.status != "proposed":
        raise Conflict(f"Amendment #{amendment.id} is already {amendment.status_label.lower()}.",
                       code="not_pending")
    document = amendment.document
    current, keys, texts = _current(document)
    key = amendment.paragraph_key

    if key is not None and key not in keys:
        _decide(amendment, user, "superseded")
        return AcceptResult(amendment, conflict={
            "reason": "paragraph_deleted",
            "message": "The paragraph was deleted since the amendment was written.",
        })
    if amendment.kind == "insert":
        at = keys.index(key) + 1 if key is not None else 0
        blocks = split_paragraphs(amendment.text) or [amendment.text]
        keys[at:at] = [new_paragraph_key() for _ in blocks]
        texts[at:at] = blocks
    else:
        index = keys.index(key)
        today = texts[index]
        if amendment.kind == "delete":
            merged = "" if today == amendment.base_text else None
        else:
            merged = rebase_text(amendment.base_text, amendment.text, today)
        if merged is None:
            amendment.status = "conflict"
            amendment.updated_at = utcnow()
            return AcceptResult(amendment, conflict=conflict_details(amendment, today))
        blocks = split_paragraphs(merged) if merged else []
        if merged and not blocks:
            blocks = [merged]
        if not blocks and len(keys) == 1:
            raise ValidationError("A document cannot lose its last paragraph.", code="last_paragraph")
        keys[index:index + 1] = [key] + [new_paragraph_key() for _ in blocks[1:]] if blocks else []
        texts[index:index + 1] = blocks

    _decide(amendment, user, "accepted")  # before the signal, so listeners see it merged
    version = append_version(
        document, texts, keys=keys, author=amendment.proposer, cause="amendment",
        message=f"Amendment #{amendment.id} by {attribution(amendment)}",
    )
    if version is None:
        amendment.status = "superseded"
        return AcceptResult(amendment, conflict={
            "reason": "already_applied", "message": "The paragraph already reads as proposed.",
        })
    amendment.merged_version_id = version.id
    db.session.flush()
    log.info("amendment #%s accepted into %s v%s", amendment.id, document.slug, version.number)
    return AcceptResult(amendment, version=version)


def conflict_details(amendment: Amendment, today: str | None) -> dict:
    return {
        "reason": "paragraph_changed",
        "message": "The paragraph changed since the amendment was written and the change "
                   "cannot be carried over; the proposer can rebase it onto today's text.",
        "base_text": amendment.base_text, "current_text": today, "proposed_text": amendment.text,
    }


def reject_amendment(amendment: Amendment, user) -> Amendment:
    _require_decidable(amendment, user)
    if amendment.status not in PENDING:
        raise Conflict(f"Amendment #{amendment.id} is already {amendment.status_label.lower()}.",
                       code="not_pending")
    _decide(amendment, user, "rejected")
    return amendment


def withdraw_amendment(amendment: Amendment, user) -> Amendment:
    _require_participant(user)
    if user.id != amendment.proposer_id:
        raise Forbidden("Only the proposer can withdraw an amendment.")
    if amendment.status not in PENDING:
        raise Conflict(f"Amendment #{amendment.id} is already {amendment.status_label.lower()}.",
                       code="not_pending")
    _decide(amendment, user, "withdrawn")
    return amendment


def rebase_amendment(amendment: Amendment, user, text: str | None = None) -> Amendment:
    """Write the amendment against today's paragraph; earlier positions stay, marked as older.

    Without `text` the change is carried over automatically where it applies cleanly.
    """
    _require_participant(user)
    if user.id != amendment.proposer_id:
        raise Forbidden("Only the proposer can rebase an amendment.")
    if amendment.status not in PENDING:
        raise Conflict(f"Amendment #{amendment.id} is {amendment.status_label.lower()}.",
                       code="not_pending")
    document = amendment.document
    current, keys, texts = _current(document)
    key = amendment.paragraph_key
    if key is not None and key not in keys:
        amendment.status = "superseded"
        amendment.updated_at = utcnow()
        raise Conflict("The paragraph was deleted since; the amendment is superseded.",
                       code="paragraph_deleted")
    if amendment.base_version_id == current.id and amendment.status == "proposed" and text is None:
        raise Conflict("The amendment is already written against today's text.", code="up_to_date")
    today = texts[keys.index(key)] if key is not None else ""
    if amendment.kind == "modify":
        new_text = _clean(text) if text is not None else rebase_text(
            amendment.base_text, amendment.text, today)
        if new_text is None:
            raise ValidationError("The change does not apply to today's text by itself; "
                                  "give the new text of the paragraph.", code="text_required")
        if not new_text:
            raise ValidationError("The proposed text is empty.", code="empty_text")
        if new_text == today.strip():
            raise ValidationError("The proposed text is the same as today's paragraph.", code="unchanged")
        _check_length(new_text, "proposed text")
    elif amendment.kind == "insert":
        new_text = _clean(text) if text is not None else amendment.text
        if not new_text:
            raise ValidationError("The new paragraph is empty.", code="empty_text")
        _check_length(new_text, "proposed text")
    else:
        new_text = ""
    amendment.base_text = today
    amendment.text = new_text
    amendment.base_version_id = current.id
    amendment.revision += 1
    amendment.status = "proposed"
    amendment.updated_at = utcnow()
    db.session.flush()
    return amendment


# --- document period, paragraph status, comments -----------------------------------------

def set_amendment_period(document, user, *, open_: bool) -> None:
    """Open (from drafting or closed) or close (from open) the amendment period."""
    _require_participant(user)
    _require_decider(user, document)
    if open_:
        if document.status not in ("drafting", "closed", "open"):
            raise Conflict(f"A document with status {document.status_label} cannot be reopened.",
                           code="bad_status")
        document.status = "open"
    else:
        if document.status not in ("open", "closed"):
            raise Conflict("Only an open document can be closed.", code="bad_status")
        document.status = "closed"


def set_paragraph_status(document, user, key: str, status: str, note: str = "") -> ParagraphStatus:
    _require_participant(user)
    _require_decider(user, document)
    if status not in PARAGRAPH_STATUSES:
        raise ValidationError("The status must be open, bracketed, agreed_ad_ref or agreed.",
                              code="bad_status")
    _, keys, _ = _current(document)
    if key not in keys:
        raise NotFound(f"The document has no paragraph {key!r}.")
    note = _clean(note)
    if len(note) > 300:
        raise TooLarge("A status note has at most 300 characters.")
    row = ParagraphStatus(document_id=document.id, paragraph_key=key, status=status, note=note,
                          set_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    return row


def add_comment(amendment: Amendment, user, text: str, on_behalf_of=None) -> AmendmentComment:
    _require_participant(user)
    text = _clean(text)
    if not text:
        raise ValidationError("The comment is empty.", code="empty_text")
    _check_length(text, "comment")
    body = _speaking_for(user, on_behalf_of)
    comment = AmendmentComment(amendment_id=amendment.id, author_id=user.id, text=text,
                               on_behalf_body_id=body.id if body else None)
    db.session.add(comment)
    db.session.flush()
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
            Amendment.document_id == document.id, Amendment.status.in_(PENDING),
            Amendment.paragraph_key.is_not(None), Amendment.paragraph_key.not_in(keys),
        )
    ).all()
    now = utcnow()
    for amendment in orphans:
        amendment.status = "superseded"
        amendment.updated_at = now
