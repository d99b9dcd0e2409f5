"""JSON API of moderation: report content; moderators hide it or dismiss the report."""

from flask import jsonify
from flask_babel import lazy_gettext as _l

from app.accounts.api_auth import api_user
from app.core.api import bp, json_body
from app.core.errors import Forbidden
from app.extensions import db
from app.moderation import (
    openapi,  # noqa: F401 - registers the description
    permissions,
    services,
)


def report_json(report, *, moderator: bool = False) -> dict:
    data = {
        "id": report.id,
        "target": report.target,
        "status": report.status,
        "resolution": report.resolution if report.status != "open" else None,
        "created_at": report.created_at.isoformat(),
        "resolved_at": report.resolved_at.isoformat() if report.resolved_at else None,
    }
    if moderator:
        data["reason"] = report.reason
    return data


@bp.post("/reports")
def api_report():
    user = api_user()
    data = json_body()
    report = services.file_report(user, data.get("target"), data.get("reason"))
    db.session.commit()
    return jsonify(report_json(report)), 201


@bp.get("/reports/<int:report_id>")
def api_report_status(report_id: int):
    user = api_user()
    report = services.get_report(report_id)
    moderator = permissions.can_moderate(user, services.target_of(report))
    if report.reporter_id != user.id and not moderator:
        raise Forbidden(_l("Only the reporter and the moderators see a report."))
    return jsonify(report_json(report, moderator=moderator))


def _resolve(report_id: int, action):
    user = api_user()
    data = json_body()
    report = services.get_report(report_id)
    resolution = action(report, user, data.get("reason"))
    db.session.commit()
    return jsonify(
        {
            **report_json(report, moderator=True),
            "also_resolved": [other.id for other in resolution.others],
        }
    )


@bp.post("/reports/<int:report_id>/hide")
def api_hide(report_id: int):
    return _resolve(report_id, services.hide_report)


@bp.post("/reports/<int:report_id>/dismiss")
def api_dismiss(report_id: int):
    return _resolve(report_id, services.dismiss_report)
