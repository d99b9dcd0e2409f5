"""Selection pages: open a selection, nominate, accept, vote, close and read the result."""

from datetime import UTC

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.guards import login_required
from app.bodies import bp, permissions
from app.bodies import selections as service
from app.bodies.forms import SelectionForm
from app.bodies.queries import get_body
from app.core.actions import domain_action
from app.core.errors import Conflict, DomainError, Forbidden, ValidationError
from app.extensions import db


def _utc(value):
    return value.replace(tzinfo=UTC) if value is not None else None


@bp.route("/bodies/<slug>/selections/new", methods=["GET", "POST"])
@login_required
def new_selection(slug):
    body = get_body(slug)
    if not permissions.can_open_selection(current_user, body):
        raise Forbidden(
            _("Only the body's coordinators and administrators open selections")
            if not permissions.admin_only(body)
            else _("Only administrators open selections for the %(name)s.", name=body.name)
        )
    form = SelectionForm()
    error = None
    if form.validate_on_submit():
        with domain_action(catch=ValidationError, flash_error=False) as outcome:
            selection = service.open_selection(
                body,
                current_user,
                title=form.title.data,
                description=form.description.data or "",
                seats=form.seats.data,
                role=form.role.data,
                min_south=form.min_south.data,
                min_north=form.min_north.data,
                max_per_group=form.max_per_group.data,
                nomination_ends_at=_utc(form.nomination_ends_at.data),
                voting_starts_at=_utc(form.voting_starts_at.data),
                voting_ends_at=_utc(form.voting_ends_at.data),
            )
        if (exc := outcome.error) is not None:
            error = exc.message
        else:
            flash(_("The selection is open for nominations."), "success")
            return redirect(url_for("bodies.selection", selection_id=selection.id))
    status = 400 if request.method == "POST" else 200
    return render_template("bodies/selection_new.html", body=body, form=form, error=error), status


def _page(selection, *, status: int = 200, error: str | None = None, typed_email: str = ""):
    counts = service.vote_counts(selection)
    phase = selection.phase()
    user = current_user
    return render_template(
        "bodies/selection.html",
        selection=selection,
        body=selection.body,
        phase=phase,
        nominations=_visible(selection.nominations, user),
        votes={n.id: v for n, v in counts},
        electorate=permissions.electorate(selection.body),
        ballots=service.ballot_count(selection),
        can_nominate=permissions.can_nominate(user) and phase == "nomination",
        can_vote=phase == "voting" and permissions.can_vote(user, selection),
        voter_refusal=permissions.voter_refusal(user, selection)
        if phase == "voting" and user.is_authenticated
        else None,
        has_voted=service.has_voted(selection, user),
        can_manage=permissions.can_close_selection(user, selection),
        can_close=phase == "counting" and permissions.can_close_selection(user, selection),
        can_cancel=phase not in ("closed", "cancelled")
        and permissions.can_close_selection(user, selection),
        error=error,
        typed_email=typed_email,
    ), status


@bp.route("/selections")
def selections():
    """Every body's selections, with a filter on open or closed ones."""
    state = request.args.get("status", "").strip() or None
    return render_template(
        "bodies/selections.html",
        selections=service.list_selections(state=state),
        state=state,
        states=service.SELECTION_STATES,
    )


@bp.route("/selections/<int:selection_id>")
def selection(selection_id):
    return _page(service.get_selection(selection_id))


def _visible(nominations, user) -> list:
    """Candidates for all; a nomination awaiting acceptance only for its nominee and
    administrators (listing it would tell the nominator that the address is registered)."""
    return [
        n
        for n in nominations
        if n.accepted or (user.is_authenticated and (user.id == n.nominee_id or user.is_admin))
    ]


def _back(selection, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("bodies.selection", selection_id=selection.id))


def _refused(selection, error: DomainError, typed_email: str = ""):
    return _page(selection, status=error.status, error=error.message, typed_email=typed_email)


@bp.route("/selections/<int:selection_id>/nominate", methods=["POST"])
@login_required
def nominate(selection_id):
    selection = service.get_selection(selection_id)
    email = request.form.get("email", "") if request.form.get("who") != "self" else ""
    with domain_action(catch=(ValidationError, Conflict), flash_error=False) as outcome:
        nomination = service.nominate(selection, current_user, email)
    if (error := outcome.error) is not None:
        return _refused(selection, error, email)
    if nomination is not None and nomination.accepted:
        return _back(selection, _("You are a candidate."))
    # The same words whether the address is registered or not (no account enumeration).
    return _back(
        selection,
        _(
            "If %(email)s is the address of a participant, they are nominated "
            "and can accept on this page.",
            email=email.strip(),
        ),
    )


@bp.route("/selections/<int:selection_id>/nominations/<int:nomination_id>/accept", methods=["POST"])
@login_required
def accept(selection_id, nomination_id):
    selection = service.get_selection(selection_id)
    service.accept_nomination(selection, current_user, nomination_id)
    return _back(selection, _("You accepted the nomination: you are a candidate."))


@bp.route(
    "/selections/<int:selection_id>/nominations/<int:nomination_id>/withdraw", methods=["POST"]
)
@login_required
def withdraw(selection_id, nomination_id):
    selection = service.get_selection(selection_id)
    service.withdraw_nomination(selection, current_user, nomination_id)
    return _back(selection, _("The nomination was withdrawn."))


@bp.route("/selections/<int:selection_id>/vote", methods=["POST"])
@login_required
def vote(selection_id):
    selection = service.get_selection(selection_id)
    with domain_action(catch=(ValidationError, Conflict, Forbidden), flash_error=False) as outcome:
        service.cast_ballot(selection, current_user, request.form.getlist("nomination"))
    if (error := outcome.error) is not None:
        return _refused(selection, error)
    return _back(selection, _("Your ballot was recorded."))


def _managed_selection(selection_id, what: str):
    selection = service.get_selection(selection_id)
    if not permissions.can_close_selection(current_user, selection):
        if permissions.admin_only(selection.body):
            raise Forbidden(
                _l(
                    "Only administrators %(what)s a selection for the %(name)s.",
                    what=what,
                    name=selection.body.name,
                )
            )
        raise Forbidden(
            _l("Only the body's coordinators and administrators %(what)s a selection.", what=what)
        )
    return selection


@bp.route("/selections/<int:selection_id>/cancel", methods=["POST"])
@login_required
def cancel(selection_id):
    selection = _managed_selection(selection_id, "cancel")
    with domain_action(catch=(ValidationError, Conflict), flash_error=False) as outcome:
        service.cancel_selection(selection, current_user, request.form.get("reason", ""))
    if (error := outcome.error) is not None:
        return _refused(selection, error)
    return _back(selection, _("The selection was cancelled; no seat was assigned."))


@bp.route("/selections/<int:selection_id>/close", methods=["POST"])
@login_required
def close(selection_id):
    selection = _managed_selection(selection_id, "close")
    with domain_action(catch=(ValidationError, Conflict), flash_error=False) as outcome:
        service.close_selection(selection, current_user)
    if (error := outcome.error) is not None:
        return _refused(selection, error)
    return _back(selection, _("The selection is closed and its result published."))
