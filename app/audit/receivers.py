"""The audit log listens to every domain's signals (app/core/signals.py) and appends a row.

Connected once at import: receivers only add rows, inside the sender's transaction.
"""

from app.audit.services import record
from app.core import signals


@signals.amendment_decided.connect
def _amendment_decided(
    amendment, actor=None, decision="", reason="", before=None, version=None, **_
):
    record(
        f"amendment.{decision}",
        "amendment",
        amendment.id,
        actor=actor,
        before={"status": before},
        after={
            "status": amendment.status,
            "reason": reason or "",
            "version": getattr(version, "number", None),
        },
    )


@signals.membership_changed.connect
def _membership_changed(membership, actor=None, change="", before=None, after=None, **_):
    record(
        f"membership.{change}",
        "body",
        membership.body_id,
        actor=actor,
        before={"user": membership.user_id, **(before or {})} if before else None,
        after={"user": membership.user_id, **(after or {})} if after else None,
    )


@signals.selection_changed.connect
def _selection_changed(selection, actor=None, change="", result=None, **_):
    record(
        f"selection.{change}",
        "selection",
        selection.id,
        actor=actor,
        after={"status": selection.status, "body": selection.body_id, "result": result},
    )


@signals.profile_changed.connect
def _profile_changed(user, actor=None, fields=(), before=None, after=None, **_):
    before, after = before or {}, after or {}
    record(
        "profile.changed",
        "user",
        user.id,
        actor=actor,
        before={f: before.get(f) for f in fields},
        after={f: after.get(f) for f in fields},
    )


@signals.group_change_requested.connect
def _group_requested(request, actor=None, **_):
    record(
        "group.requested",
        "user",
        request.user_id,
        actor=actor,
        before={"group": request.from_group},
        after={"group": request.to_group, "request": request.id},
    )


@signals.group_change_decided.connect
def _group_decided(request, actor=None, decision="", before=None, after=None, **_):
    record(
        f"group.{decision}",
        "user",
        request.user_id,
        actor=actor,
        before=before,
        after={**(after or {}), "request": request.id},
    )


@signals.verification_changed.connect
def _verification_changed(user, actor=None, verified=False, group="", **_):
    record(
        "verification.granted" if verified else "verification.revoked",
        "user",
        user.id,
        actor=actor,
        before={"verified": not verified},
        after={"verified": verified, "group": group},
    )


@signals.report_filed.connect
def _report_filed(report, actor=None, **_):
    # Who reported what stays between the reporter and the moderators.
    record(
        "report.filed",
        "report",
        report.id,
        actor=actor,
        after={"target": report.target, "reason": report.reason, "status": report.status},
        public=False,
    )


@signals.report_resolved.connect
def _report_resolved(report, actor=None, outcome="", reason="", **_):
    record(
        f"report.{outcome}",
        "report",
        report.id,
        actor=actor,
        before={"status": "open"},
        after={"status": report.status, "target": report.target, "reason": reason},
        public=False,
    )


@signals.content_hidden.connect
def _content_hidden(hidden, actor=None, report=None, **_):
    record(
        "moderation.hidden",
        hidden.target_kind,
        hidden.target_id,
        actor=actor,
        before={"hidden": False},
        after={"hidden": True, "reason": hidden.reason},
    )
