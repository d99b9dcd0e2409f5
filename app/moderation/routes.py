"""Pages: report content, the moderators' queue, hide or dismiss, and one's own reports."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.guards import login_required
from app.accounts.routes import _safe_next
from app.core.actions import domain_action
from app.core.errors import Forbidden
from app.moderation import bp, permissions, queries, services
from app.moderation.forms import ReportForm, ResolveForm


def _user():
    return current_user._get_current_object()


@bp.route("/reports", methods=["POST"])
@login_required
def report():
    form = ReportForm()
    back = _safe_next(request.form.get("next"))
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(back)
    success = _("Thank you: the moderators will look at your report. You can follow it here.")
    with domain_action(success) as outcome:
        services.file_report(_user(), form.target.data, form.reason.data)
    if outcome.failed:
        return redirect(back)
    return redirect(url_for("moderation.mine"))


@bp.route("/reports/mine")
@login_required
def mine():
    return render_template("moderation/mine.html", reports=queries.reports_by(_user()))


@bp.route("/moderation")
@login_required
def queue():
    if not permissions.is_moderator(_user()):
        abort(403)
    return render_template(
        "moderation/queue.html", items=queries.queue(_user()), form=ResolveForm(formdata=None)
    )


def _resolve(report_id: int, action) -> object:
    report = services.get_report(report_id)
    form = ResolveForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("moderation.queue"))
    with domain_action(reraise=(Forbidden,)) as outcome:
        action(report, _user(), form.reason.data)
    if outcome.failed:
        return redirect(url_for("moderation.queue"))
    flash(
        _("Report #%(id)s: %(status)s.", id=report.id, status=report.status_label.lower()),
        "success",
    )
    return redirect(url_for("moderation.queue"))


@bp.route("/reports/<int:report_id>/hide", methods=["POST"])
@login_required
def hide(report_id: int):
    return _resolve(report_id, services.hide_report)


@bp.route("/reports/<int:report_id>/dismiss", methods=["POST"])
@login_required
def dismiss(report_id: int):
    return _resolve(report_id, services.dismiss_report)
