"""Body pages: list, body page and membership changes."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.guards import login_required
from app.bodies import bp, permissions, services
from app.bodies.hooks import page_context
from app.bodies.models import BODY_KINDS, COORDINATOR, REQUESTED, TEAM_ROLES
from app.bodies.queries import (
    bodies_by_kind,
    find_user_by_email,
    get_body,
    membership_of,
    memberships,
)
from app.bodies.selections import selections_of
from app.core.actions import domain_action
from app.core.errors import Conflict, Forbidden, NotFound, ValidationError
from app.extensions import db


def _index(*, status: int = 200, error: str | None = None, typed: dict | None = None):
    return render_template(
        "bodies/index.html",
        kinds=bodies_by_kind(),
        can_create=permissions.can_create_body(current_user),
        body_kinds=BODY_KINDS,
        team_roles=TEAM_ROLES,
        create_error=error,
        typed=typed or {"kind": "working_group", "open": "1"},
    ), status


@bp.route("/bodies")
def index():
    return _index()


@bp.route("/bodies", methods=["POST"])
@login_required
def create():
    if not permissions.can_create_body(current_user):
        raise Forbidden(_l("Only administrators create bodies."))
    typed = {
        "name": request.form.get("name", ""),
        "kind": request.form.get("kind", ""),
        "team_role": request.form.get("team_role", ""),
        "purpose": request.form.get("purpose", ""),
        "open": request.form.get("open", ""),
    }
    with domain_action(catch=(ValidationError, Conflict), flash_error=False) as outcome:
        body = services.create_body(
            typed["name"],
            typed["kind"],
            team_role=typed["team_role"] or None,
            purpose=typed["purpose"],
            is_open=typed["open"] == "1",
        )
    if (error := outcome.error) is not None:
        return _index(status=error.status, error=error.message, typed=typed)
    return _done(body, _("The %(name)s was created.", name=body.name))


def _show(body, *, status: int = 200, error: str | None = None, typed_email: str = ""):
    """Render a body page; `error` and `typed_email` come back from a refused add-member form."""
    active = memberships(body.id)
    own = membership_of(current_user, body.id)
    can_manage = permissions.can_manage_members(current_user, body)
    return render_template(
        "bodies/show.html",
        body=body,
        members=active,
        coordinators=[m.user for m in active if m.role == COORDINATOR],
        requests=memberships(body.id, REQUESTED) if can_manage else [],
        selections=selections_of(body),
        own=own,
        can_manage=can_manage,
        can_join=permissions.can_join(current_user, body) and own is None,
        can_request=permissions.can_request(current_user, body) and own is None,
        can_open_selection=permissions.can_open_selection(current_user, body),
        archive_body=body,
        add_error=error,
        typed_email=typed_email,
        **page_context(body),
    ), status


@bp.route("/bodies/<slug>")
def show(slug):
    return _show(get_body(slug))


def _done(body, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("bodies.show", slug=body.slug))


@bp.route("/bodies/<slug>/join", methods=["POST"])
@login_required
def join(slug):
    body = get_body(slug)
    services.join_body(current_user, body)
    return _done(body, _("You joined the %(name)s.", name=body.name))


@bp.route("/bodies/<slug>/request", methods=["POST"])
@login_required
def request_join(slug):
    body = get_body(slug)
    services.request_membership(current_user, body)
    return _done(
        body, _("Your request to join the %(name)s was sent to its coordinators.", name=body.name)
    )


@bp.route("/bodies/<slug>/leave", methods=["POST"])
@login_required
def leave(slug):
    body = get_body(slug)
    own = membership_of(current_user, body.id)
    services.leave_body(current_user, body)
    if own is not None and own.status == REQUESTED:
        return _done(body, _("Your request was withdrawn."))
    return _done(body, _("You left the %(name)s.", name=body.name))


def _managed_body(slug):
    body = get_body(slug)
    if not permissions.can_manage_members(current_user, body):
        if permissions.admin_only(body):
            raise Forbidden(
                _l("Only administrators manage the membership of the %(name)s.", name=body.name)
            )
        raise Forbidden(
            _l(
                "Only coordinators of the %(name)s and administrators manage its members.",
                name=body.name,
            )
        )
    return body


def _user_id() -> int:
    value = request.form.get("user_id", "")
    # ASCII digits only ("²".isdigit() is true), and no id beyond a 32-bit column.
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) < 2**31:
        raise ValidationError(_l("Choose a person."))
    return int(value)


@bp.route("/bodies/<slug>/requests/approve", methods=["POST"])
@login_required
def approve(slug):
    body = _managed_body(slug)
    membership = services.approve_request(body, _user_id(), actor=current_user)
    return _done(body, f"{membership.user.name} is now a member.")


@bp.route("/bodies/<slug>/requests/decline", methods=["POST"])
@login_required
def decline(slug):
    body = _managed_body(slug)
    services.decline_request(body, _user_id(), actor=current_user)
    return _done(body, _("The request was declined."))


@bp.route("/bodies/<slug>/members", methods=["POST"])
@login_required
def add_member(slug):
    body = _managed_body(slug)
    email = request.form.get("email", "")
    catch = (ValidationError, Conflict, NotFound)
    with domain_action(catch=catch, flash_error=False) as outcome:
        user = find_user_by_email(email)
        services.add_member(
            body, user, coordinator=request.form.get("role") == COORDINATOR, actor=current_user
        )
    if (error := outcome.error) is not None:
        return _show(body, status=error.status, error=error.message, typed_email=email)
    return _done(body, f"{user.name} was added to the {body.name}.")


@bp.route("/bodies/<slug>/members/remove", methods=["POST"])
@login_required
def remove_member(slug):
    body = _managed_body(slug)
    services.remove_member(body, _user_id(), actor=current_user)
    return _done(body, _("The member was removed."))


@bp.route("/bodies/<slug>/members/role", methods=["POST"])
@login_required
def set_role(slug):
    body = _managed_body(slug)
    role = request.form.get("role", "")
    membership = services.set_role(body, _user_id(), role, actor=current_user)
    what = "a coordinator" if role == COORDINATOR else "a member"
    return _done(body, f"{membership.user.name} is now {what} of the {body.name}.")
