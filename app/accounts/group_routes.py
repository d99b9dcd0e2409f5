"""Pages of trust in groups: the requests to decide, confirming or refusing, verifying."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import bp, groups, services
from app.accounts.guards import login_required
from app.core.actions import domain_action
from app.core.errors import Forbidden


def _user():
    return current_user._get_current_object()


@bp.route("/groups/requests")
@login_required
def group_requests():
    actor = _user()
    pending = groups.requests_for(actor)
    if not actor.is_admin and not any(
        groups.is_focal_point(actor, g) for g in groups.STAKEHOLDER_GROUPS
    ):
        abort(403)
    return render_template("accounts/group_requests.html", requests=pending)


def _decide(request_id: int, action, done: str):
    group_request = groups.get_request(request_id)
    with domain_action(reraise=(Forbidden,)) as outcome:
        action(group_request, _user())
    if not outcome.failed:
        flash(_("%(name)s: %(done)s.", name=group_request.user.name, done=done), "success")
    return redirect(url_for("accounts.group_requests"))


@bp.route("/groups/requests/<int:request_id>/confirm", methods=["POST"])
@login_required
def confirm_group_request(request_id: int):
    return _decide(request_id, groups.confirm_group_change, "change of group confirmed")


@bp.route("/groups/requests/<int:request_id>/refuse", methods=["POST"])
@login_required
def refuse_group_request(request_id: int):
    return _decide(request_id, groups.refuse_group_change, "change of group refused")


@bp.route("/people/<int:user_id>/verification", methods=["POST"])
@login_required
def set_verification(user_id: int):
    person = services.get_user(user_id)
    verified = request.form.get("verified") == "1"
    with domain_action(reraise=(Forbidden,)) as outcome:
        groups.set_verified(person, _user(), verified)
    if not outcome.failed:
        flash(
            _("%(name)s is now verified.", name=person.name)
            if verified
            else _("%(name)s is no longer verified.", name=person.name),
            "success",
        )
    return redirect(url_for("accounts.person", user_id=person.id))
