"""Reporting content and moderating it: hide with a public reason, or dismiss the report.

Nothing is deleted: hiding adds a HiddenContent row and the content keeps its place,
shown as "hidden by a moderator: reason". Every resolution is a conditional UPDATE on the
report's status, so two moderators acting at once give one outcome and one 409.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.core import signals
from app.core.errors import Conflict, Forbidden, NotFound, ValidationError
from app.core.locking import update_if
from app.core.timeutil import utcnow
from app.extensions import db
from app.moderation import permissions
from app.moderation.models import DISMISSED, HIDDEN, OPEN, HiddenContent, Report
from app.moderation.targets import Target, parse_target, resolve

MAX_REASON = 2000


@dataclass
class Resolution:
    report: Report
    # Other open reports of the same content, resolved with it.
    others: list[Report]


# Each field's messages whole, so that every language words them its own way:
# (not text, missing, too long).
_REASON_MESSAGES = {
    "report": (
        _l("The reason for the report must be text."),
        _l("A reason for the report is required."),
        _l("A reason for the report has at most %(max_reason)s characters."),
    ),
    "public": (
        _l("The public reason must be text."),
        _l("A public reason is required."),
        _l("A public reason has at most %(max_reason)s characters."),
    ),
    "note": (
        _l("The note must be text."),
        _l("A note is required."),
        _l("A note has at most %(max_reason)s characters."),
    ),
}


def _reason(text, *, required: bool, what: str) -> str:
    not_text, missing, too_long = _REASON_MESSAGES[what]
    text = (text or "").strip() if isinstance(text, str) or text is None else None
    if text is None:
        raise ValidationError(not_text)
    if required and not text:
        raise ValidationError(missing, code="reason_required")
    if len(text) > MAX_REASON:
        raise ValidationError(str(too_long) % {"max_reason": MAX_REASON})
    return text


def get_report(report_id: int) -> Report:
    report = db.session.get(Report, report_id)
    if report is None:
        raise NotFound(_l("No report #%(report_id)s.", report_id=report_id))
    return report


def target_of(report: Report) -> Target:
    return resolve(report.target_kind, report.target_id)


def file_report(reporter, target: str, reason) -> Report:
    """Report content to its moderators; one open report per person and content."""
    if reporter is None or not getattr(reporter, "is_authenticated", False):
        raise Forbidden(_l("Log in to report content."))
    kind, ident = parse_target(target)
    resolved = resolve(kind, ident)
    reason = _reason(reason, required=True, what="report")
    if is_hidden(kind, ident):
        raise Conflict(_l("A moderator has already hidden this content."), code="already_hidden")
    existing = db.session.scalar(
        select(Report.id).where(
            Report.target_kind == kind,
            Report.target_id == ident,
            Report.reporter_id == reporter.id,
            Report.status == OPEN,
        )
    )
    if existing is not None:
        raise Conflict(
            _l("You have already reported this; a moderator will look at it."),
            code="already_reported",
        )
    report = Report(
        target_kind=resolved.kind,
        target_id=resolved.id,
        reporter_id=reporter.id,
        reason=reason,
        status=OPEN,
    )
    db.session.add(report)
    db.session.flush()
    signals.report_filed.send(report, actor=reporter)
    return report


def _close(report: Report, actor, status: str, resolution: str) -> bool:
    """Resolve one open report; False when someone resolved it first."""
    return update_if(
        report,
        Report.status == OPEN,
        status=status,
        resolution=resolution,
        resolved_by_id=actor.id,
        resolved_at=utcnow(),
    )


def _require_moderator(report: Report, actor) -> Target:
    target = target_of(report)
    if not permissions.can_moderate(actor, target):
        raise Forbidden(
            _l(
                "Only administrators, and coordinators of the body the content belongs to, moderate it."
            )
        )
    return target


def hide_report(report: Report, actor, reason) -> Resolution:
    """Hide the reported content with a public reason; other open reports of it close too."""
    _require_moderator(report, actor)
    reason = _reason(reason, required=True, what="public")
    if not _close(report, actor, HIDDEN, reason):
        raise Conflict(
            _l("Report #%(id)s has already been resolved.", id=report.id), code="resolved"
        )
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # Another report of the same content may have been hidden at the same moment: keep one row.
    db.session.execute(
        insert(HiddenContent)
        .values(
            target_kind=report.target_kind,
            target_id=report.target_id,
            reason=reason,
            report_id=report.id,
            hidden_by_id=actor.id,
            hidden_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["target_kind", "target_id"])
    )
    hidden = db.session.scalar(
        select(HiddenContent).where(
            HiddenContent.target_kind == report.target_kind,
            HiddenContent.target_id == report.target_id,
        )
    )
    if hidden.report_id == report.id:
        signals.content_hidden.send(hidden, actor=actor, report=report)
    signals.report_resolved.send(report, actor=actor, outcome=HIDDEN, reason=reason)
    others = []
    for other in db.session.scalars(
        select(Report).where(
            Report.target_kind == report.target_kind,
            Report.target_id == report.target_id,
            Report.status == OPEN,
        )
    ):
        if _close(other, actor, HIDDEN, reason):
            signals.report_resolved.send(other, actor=actor, outcome=HIDDEN, reason=reason)
            others.append(other)
    return Resolution(report, others)


def dismiss_report(report: Report, actor, reason=None) -> Resolution:
    """Leave the content as it is; the reporter is told, with the moderator's note if any."""
    _require_moderator(report, actor)
    reason = _reason(reason, required=False, what="note")
    if not _close(report, actor, DISMISSED, reason):
        raise Conflict(
            _l("Report #%(id)s has already been resolved.", id=report.id), code="resolved"
        )
    signals.report_resolved.send(report, actor=actor, outcome=DISMISSED, reason=reason)
    return Resolution(report, [])


def is_hidden(kind: str, ident: int) -> bool:
    return (
        db.session.scalar(
            select(HiddenContent.id).where(
                HiddenContent.target_kind == kind, HiddenContent.target_id == ident
            )
        )
        is not None
    )
