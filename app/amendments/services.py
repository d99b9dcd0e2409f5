"""Proposing, weighing, deciding and rebasing amendments (the deliberation around them: proceedings.py).

Every function takes the acting user and checks permission on that very amendment and
document, so the pages, the API and the command line share one set of rules. Nothing here
commits: the caller commits once.
"""

import logging
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from app.amendments.models import (
    KINDS,
    PENDING,
    STANCES,
    Amendment,
    Position,
    attribution,
)
from app.amendments.permissions import (
    check_length,
    clean,
    current_paragraphs,
    require_decider,
    require_open,
    require_participant,
    speaking_for,
)
from app.amendments.rebase import rebase_text
from app.core import signals
from app.core.errors import Conflict, Forbidden, TooLarge, ValidationError
from app.core.locking import lock_rows
from app.core.timeutil import utcnow
from app.documents.models import Version
from app.documents.services import append_version, new_paragraph_key
from app.documents.splitting import split_paragraphs
from app.extensions import db

log = logging.getLogger(__name__)

RATIONALE_MAX = 5000


# --- proposing -----------------------------------------------------------------------------


def propose_amendment(
    document,
    user,
    *,
    kind: str,
    paragraph: str | None = None,
    after: str | None = None,
    text: str = "",
    rationale: str = "",
    on_behalf_of=None,
    version: int | None = None,
) -> Amendment:
    """Propose to modify, insert or delete a paragraph of the document's current version.

    `version` (a version number) is the text the proposer saw; when the paragraph changed
    since, the proposal is refused with today's text rather than stored against stale text.
    """
    require_participant(user)
    require_open(document)
    if kind not in KINDS:
        raise ValidationError(
            _l("Unknown kind %(kind)s; use modify, insert or delete.", kind=repr(kind)),
            code="bad_kind",
        )
    text, rationale = clean(text), clean(rationale)
    if not rationale:
        raise ValidationError(
            _l("Give a rationale: why should the text change?"), code="rationale_required"
        )
    if len(rationale) > RATIONALE_MAX:
        raise TooLarge(
            _l(
                "The rationale has %(value)s characters; the limit is %(RATIONALE_MAX)s.",
                value=len(rationale),
                RATIONALE_MAX=RATIONALE_MAX,
            )
        )
    check_length(text, "proposed text")
    body = speaking_for(user, on_behalf_of)
    current, keys, texts = current_paragraphs(document)

    if kind == "insert":
        anchor = after if after not in ("", "^") else None
        if anchor is not None and anchor not in keys:
            raise ValidationError(
                _l("The document has no paragraph %(anchor)s.", anchor=repr(anchor)),
                code="unknown_paragraph",
            )
        if not text:
            raise ValidationError(_l("The new paragraph is empty."), code="empty_text")
        base_text = texts[keys.index(anchor)] if anchor else ""
        key = anchor
    else:
        if not paragraph or paragraph not in keys:
            raise ValidationError(
                _l("The document has no paragraph %(paragraph)s.", paragraph=repr(paragraph)),
                code="unknown_paragraph",
            )
        key = paragraph
        base_text = texts[keys.index(key)]
        if kind == "modify":
            if not text:
                raise ValidationError(
                    _l("The proposed text is empty; propose a deletion to remove the paragraph."),
                    code="empty_text",
                )
            if text == base_text.strip():
                raise ValidationError(
                    _l("The proposed text is the same as the paragraph."), code="unchanged"
                )
        else:
            text = ""
    _check_seen_version(document, current, version, kind, key, base_text)

    amendment = Amendment(
        document_id=document.id,
        base_version_id=current.id,
        kind=kind,
        paragraph_key=key,
        base_text=base_text,
        text=text,
        rationale=rationale,
        proposer_id=user.id,
        proposer_group=user.group,
        on_behalf_body_id=body.id if body else None,
        status="proposed",
        revision=1,
    )
    db.session.add(amendment)
    db.session.flush()
    signals.amendment_proposed.send(amendment, actor=user)
    log.info("amendment #%s proposed on %s by user %s", amendment.id, document.slug, user.id)
    return amendment


def _check_seen_version(document, current, number, kind, key, base_text) -> None:
    if number in (None, "", current.number):
        return
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise ValidationError(
            _l("The version must be a version number."), code="bad_version"
        ) from None
    if number == current.number:
        return
    seen = db.session.scalar(
        select(Version).where(Version.document_id == document.id, Version.number == number)
    )
    if seen is None:
        raise ValidationError(
            _l("%(title)s has no version %(number)s.", title=document.title, number=number),
            code="bad_version",
        )
    if key is None:  # an insert at the start does not depend on any paragraph
        return
    old = next((p.text for p in seen.paragraphs if p.key == key), None)
    if old != base_text:
        raise Conflict(
            _l(
                "The paragraph changed since %(label)s (the text is now at %(label2)s); write your amendment against today's text.",
                label=seen.label,
                label2=current.label,
            ),
            code="stale_version",
            details={"current_version": current.number, "current_text": base_text},
        )


# --- positions -----------------------------------------------------------------------------


def _require_weighable(amendment: Amendment) -> None:
    if amendment.status != "proposed":
        raise Conflict(
            _l(
                "Amendment #%(id)s is %(status_label)s: positions are taken only on proposed amendments.",
                id=amendment.id,
                status_label=amendment.status_label.lower(),
            ),
            code="not_pending",
        )
    require_open(amendment.document)


def set_position(amendment: Amendment, user, stance: str) -> Position:
    """Take or change the user's one position (an upsert: parallel requests leave one row)."""
    require_participant(user)
    if stance not in STANCES:
        raise ValidationError(
            _l("The stance must be support, oppose or abstain."), code="bad_stance"
        )
    _require_weighable(amendment)
    now = utcnow()
    values = {
        "amendment_id": amendment.id,
        "user_id": user.id,
        "stance": stance,
        "revision": amendment.revision,
        "base_version_id": amendment.base_version_id,
        "group": user.group,
        "created_at": now,
        "updated_at": now,
    }
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Position).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["amendment_id", "user_id"],
        set_={
            "stance": statement.excluded.stance,
            "revision": statement.excluded.revision,
            "base_version_id": statement.excluded.base_version_id,
            "updated_at": statement.excluded.updated_at,
        },
    )
    db.session.execute(statement)
    position = db.session.scalar(
        select(Position)
        .where(Position.amendment_id == amendment.id, Position.user_id == user.id)
        .execution_options(populate_existing=True)
    )
    signals.position_taken.send(amendment, actor=user, stance=stance, group=user.group)
    return position


def withdraw_position(amendment: Amendment, user) -> bool:
    """Withdraw the user's position; True when there was one."""
    require_participant(user)
    _require_weighable(amendment)
    result = db.session.execute(
        delete(Position).where(Position.amendment_id == amendment.id, Position.user_id == user.id)
    )
    if result.rowcount:
        signals.position_taken.send(amendment, actor=user, stance=None, group=user.group)
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


REASON_MAX = 2000


def _reason(reason: str | None) -> str:
    """Every decision is explained in public: a participant whose text is not taken is entitled
    to know why."""
    reason = clean(reason or "")
    if not reason:
        raise ValidationError(
            _l("Give a reason for the decision: it is shown on the amendment."),
            code="reason_required",
        )
    if len(reason) > REASON_MAX:
        raise TooLarge(
            _l(
                "The reason has %(length)s characters; the limit is %(limit)s.",
                length=len(reason),
                limit=REASON_MAX,
            )
        )
    return reason


def _decide(
    amendment: Amendment, user, status: str, reason: str, version=None, before: str | None = None
) -> None:
    """Record the decision and announce it; the caller holds the document's lock."""
    before = before or amendment.status
    amendment.status = status
    amendment.decided_by_id = user.id
    amendment.decision_reason = reason
    amendment.decided_at = amendment.updated_at = utcnow()
    if version is not None:
        amendment.merged_version_id = version.id
    db.session.flush()
    signals.amendment_decided.send(
        amendment, actor=user, decision=status, reason=reason, before=before, version=version
    )


def _lock(amendment: Amendment) -> None:
    """Serialize decisions on the document's amendments and reload the amendment as it stands.

    Two accepts of one amendment (a double click) or of two amendments of one document must
    not both build a version from the same text.
    """
    lock_rows(amendment.document, amendment)


def _not_pending(amendment: Amendment) -> Conflict:
    return Conflict(
        _l(
            "Amendment #%(id)s is already %(status_label)s.",
            id=amendment.id,
            status_label=amendment.status_label.lower(),
        ),
        code="not_pending",
    )


def _require_decidable(amendment: Amendment, user) -> None:
    require_decider(user, amendment.document)
    if amendment.document.status == "adopted":
        raise Conflict(
            _l("The document is adopted; its amendments are closed."), code="document_adopted"
        )


def accept_amendment(amendment: Amendment, user, reason: str | None = None) -> AcceptResult:
    """Rebase onto today's paragraph and merge as a new version, or mark a conflict.

    A conflict (or a superseded amendment) is a result, not an exception, so that the caller
    commits the new status before answering 409.
    """
    _require_decidable(amendment, user)
    reason = _reason(reason)
    _lock(amendment)
    _require_decidable(amendment, user)
    if amendment.status == "conflict":
        raise Conflict(
            _l(
                "Amendment #%(id)s conflicts with today's text; its proposer must rebase it first.",
                id=amendment.id,
            ),
            code="needs_rebase",
        )
    if amendment.status != "proposed":
        raise _not_pending(amendment)
    document = amendment.document
    current, keys, texts = current_paragraphs(document)
    key = amendment.paragraph_key

    if key is not None and key not in keys:
        _decide(amendment, user, "superseded", reason)
        return AcceptResult(
            amendment,
            conflict={
                "reason": "paragraph_deleted",
                "message": _l("The paragraph was deleted since the amendment was written."),
            },
        )
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
            _decide(amendment, user, "conflict", reason)
            return AcceptResult(amendment, conflict=conflict_details(amendment, today))
        blocks = split_paragraphs(merged) if merged else []
        if merged and not blocks:
            blocks = [merged]
        if not blocks and len(keys) == 1:
            raise ValidationError(
                _l("A document cannot lose its last paragraph."), code="last_paragraph"
            )
        keys[index : index + 1] = (
            [key] + [new_paragraph_key() for _ in blocks[1:]] if blocks else []
        )
        texts[index : index + 1] = blocks

    # Marked accepted before the version exists, so that listeners of the new version see it
    # merged; announced once the version is known.
    before = amendment.status
    amendment.status = "accepted"
    version = append_version(
        document,
        texts,
        keys=keys,
        author=amendment.proposer,
        cause="amendment",
        message=f"Amendment #{amendment.id} by {attribution(amendment)}",
    )
    if version is None:
        _decide(amendment, user, "superseded", reason, before=before)
        return AcceptResult(
            amendment,
            conflict={
                "reason": "already_applied",
                "message": _l("The paragraph already reads as proposed."),
            },
        )
    _decide(amendment, user, "accepted", reason, version=version, before=before)
    log.info("amendment #%s accepted into %s v%s", amendment.id, document.slug, version.number)
    return AcceptResult(amendment, version=version)


def conflict_details(amendment: Amendment, today: str | None) -> dict:
    return {
        "reason": "paragraph_changed",
        "message": _l(
            "The paragraph changed since the amendment was written and the change "
            "cannot be carried over; the proposer can rebase it onto today's text."
        ),
        "base_text": amendment.base_text,
        "current_text": today,
        "proposed_text": amendment.text,
    }


def reject_amendment(amendment: Amendment, user, reason: str | None = None) -> Amendment:
    _require_decidable(amendment, user)
    reason = _reason(reason)
    _lock(amendment)
    _require_decidable(amendment, user)
    if amendment.status not in PENDING:
        raise _not_pending(amendment)
    _decide(amendment, user, "rejected", reason)
    return amendment


def request_rebase(amendment: Amendment, user, reason: str | None = None) -> Amendment:
    """Send the amendment back to its proposer to be written against today's text."""
    _require_decidable(amendment, user)
    reason = _reason(reason)
    _lock(amendment)
    _require_decidable(amendment, user)
    if amendment.status == "conflict":
        raise Conflict(
            _l("Amendment #%(id)s is already waiting for its proposer's rebase.", id=amendment.id),
            code="needs_rebase",
        )
    if amendment.status != "proposed":
        raise _not_pending(amendment)
    _decide(amendment, user, "conflict", reason)
    return amendment


def withdraw_amendment(amendment: Amendment, user, reason: str | None = None) -> Amendment:
    require_participant(user)
    if user.id != amendment.proposer_id:
        raise Forbidden(_l("Only the proposer can withdraw an amendment."))
    reason = _reason(reason)
    _lock(amendment)
    if amendment.status not in PENDING:
        raise _not_pending(amendment)
    _decide(amendment, user, "withdrawn", reason)
    return amendment


def rebase_amendment(amendment: Amendment, user, text: str | None = None) -> Amendment:
    """Write the amendment against today's paragraph; earlier positions stay, marked as older.

    Without `text` the change is carried over automatically where it applies cleanly.
    """
    require_participant(user)
    if user.id != amendment.proposer_id:
        raise Forbidden(_l("Only the proposer can rebase an amendment."))
    _lock(amendment)
    if amendment.status not in PENDING:
        raise Conflict(
            _l(
                "Amendment #%(id)s is %(status_label)s.",
                id=amendment.id,
                status_label=amendment.status_label.lower(),
            ),
            code="not_pending",
        )
    document = amendment.document
    current, keys, texts = current_paragraphs(document)
    key = amendment.paragraph_key
    if key is not None and key not in keys:
        amendment.status = "superseded"
        amendment.updated_at = utcnow()
        raise Conflict(
            _l("The paragraph was deleted since; the amendment is superseded."),
            code="paragraph_deleted",
        )
    if amendment.base_version_id == current.id and amendment.status == "proposed" and text is None:
        raise Conflict(
            _l("The amendment is already written against today's text."), code="up_to_date"
        )
    today = texts[keys.index(key)] if key is not None else ""
    if amendment.kind == "modify":
        new_text = (
            clean(text)
            if text is not None
            else rebase_text(amendment.base_text, amendment.text, today)
        )
        if new_text is None:
            raise ValidationError(
                _l(
                    "The change does not apply to today's text by itself; "
                    "give the new text of the paragraph."
                ),
                code="text_required",
            )
        if not new_text:
            raise ValidationError(_l("The proposed text is empty."), code="empty_text")
        if new_text == today.strip():
            raise ValidationError(
                _l("The proposed text is the same as today's paragraph."), code="unchanged"
            )
        check_length(new_text, "proposed text")
    elif amendment.kind == "insert":
        new_text = clean(text) if text is not None else amendment.text
        if not new_text:
            raise ValidationError(_l("The new paragraph is empty."), code="empty_text")
        check_length(new_text, "proposed text")
    else:
        new_text = ""
    amendment.base_text = today
    amendment.text = new_text
    amendment.base_version_id = current.id
    amendment.revision += 1
    amendment.status = "proposed"
    amendment.updated_at = utcnow()
    db.session.flush()
    signals.amendment_rebased.send(amendment, actor=user, revision=amendment.revision)
    return amendment
