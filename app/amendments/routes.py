"""Amendment pages: list, propose, show (tally, positions, decisions, comments), compare,
compilation text, amendment period and paragraph status."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.guards import login_required
from app.amendments import bp, proceedings, queries, services
from app.amendments.forms import ProposeForm, RebaseForm, speaking_choices
from app.amendments.models import KINDS, PARAGRAPH_STATUSES, STANCES, STATUSES
from app.amendments.rebase import rebase_text
from app.bodies.queries import bodies_user_can_speak_for
from app.core.actions import domain_action
from app.core.errors import Forbidden
from app.documents import hooks, permissions
from app.documents.diffing import fold_quiet
from app.documents.queries import get_document


def _act(action, back: str, success: str):
    """Run one service call, commit once, flash the outcome and go back; 403s propagate."""
    with domain_action(success, reraise=(Forbidden,)):
        action()
    return redirect(back)


def _nav(document, active: str) -> dict:
    return {"document_tabs": hooks.TABS, "active_tab": active}


@bp.route("/documents/<slug>/amendments")
def index(slug):
    document = get_document(slug)
    status = request.args.get("status", "pending")
    if status not in STATUSES and status not in ("pending", "all"):
        status = "pending"
    filters = {
        "status": status,
        "group": request.args.get("group") or None,
        "paragraph": request.args.get("paragraph") or None,
        "body": request.args.get("body") or None,
    }
    interleave = request.args.get("order", "interleaved") != "chronological"
    amendments = queries.list_amendments(document, interleave=interleave, **filters)
    return render_template(
        "amendments/index.html",
        document=document,
        amendments=amendments,
        filters=filters,
        order="interleaved" if interleave else "chronological",
        tallies=queries.tallies(a.id for a in amendments),
        statuses=STATUSES,
        bodies=queries.filter_bodies(document),
        group_counts=queries.document_group_counts(document),
        can_decide=permissions.can_decide(current_user, document),
        numbers={p.key: p.number for p in document.current_version.paragraphs},
        **_nav(document, "amendments.index"),
    )


@bp.route("/documents/<slug>/amendments/new", methods=["GET", "POST"])
@login_required
def new(slug):
    document = get_document(slug)
    version = document.current_version
    paragraphs = {p.key: p for p in version.paragraphs}
    form = ProposeForm()
    choices = speaking_choices(bodies_user_can_speak_for(current_user))
    if request.method == "GET":
        form.kind.data = request.args.get("kind", "modify")
        form.paragraph.data = request.args.get("paragraph", "")
        form.after.data = request.args.get("after", "")
        form.version.data = str(version.number)
        target = paragraphs.get(form.paragraph.data)
        if form.kind.data == "modify" and target is not None:
            form.text.data = target.text
    kind = form.kind.data if form.kind.data in KINDS else "modify"
    key = form.after.data if kind == "insert" else form.paragraph.data
    target = paragraphs.get(key) if key else None
    if kind != "insert" and target is None:
        abort(404, _("Choose a paragraph of the current version to amend."))
    error = None
    preview = None
    if request.method == "POST":
        if "preview" in request.form:
            preview = True
        else:
            with domain_action(reraise=(Forbidden,), flash_error=False) as outcome:
                amendment = services.propose_amendment(
                    document,
                    current_user,
                    kind=kind,
                    paragraph=form.paragraph.data or None,
                    after=form.after.data or None,
                    text=form.text.data or "",
                    rationale=form.rationale.data or "",
                    on_behalf_of=form.on_behalf_of.data or None,
                    version=form.version.data or None,
                )
            if outcome.failed:
                error = outcome.error.message
            else:
                flash(_("Amendment #%(id)s proposed.", id=amendment.id), "success")
                return redirect(url_for("amendments.show", amendment_id=amendment.id))
    status = 400 if error else 200
    return render_template(
        "amendments/new.html",
        document=document,
        version=version,
        form=form,
        kind=kind,
        target=target,
        error=error,
        preview=preview,
        choices=choices,
        **_nav(document, "amendments.index"),
    ), status


@bp.route("/amendments/<int:amendment_id>")
def show(amendment_id):
    amendment = queries.get_amendment(amendment_id)
    document = amendment.document
    current = document.current_version
    today = next((p for p in current.paragraphs if p.key == amendment.paragraph_key), None)
    rebase_form = RebaseForm()
    if amendment.kind != "delete":
        rebase_form.text.data = _rebase_proposal(amendment, today)
    merged = amendment.merged_version
    return render_template(
        "amendments/show.html",
        document=document,
        amendment=amendment,
        today=today,
        tally=queries.tally(amendment),
        mine=queries.position_of(amendment, current_user),
        positions=queries.positions(amendment),
        comments=queries.comments(amendment),
        choices=speaking_choices(bodies_user_can_speak_for(current_user)),
        rebase_form=rebase_form,
        stances=STANCES,
        can_decide=permissions.can_decide(current_user, document),
        is_proposer=current_user.is_authenticated and current_user.id == amendment.proposer_id,
        outdated=amendment.base_version_id != document.current_version_id,
        merged=merged,
        **_nav(document, "amendments.index"),
    )


def _rebase_proposal(amendment, today) -> str:
    """What the rebase form offers: the change carried over to today's paragraph where it
    applies cleanly, so that rebasing never quietly undoes what others merged since."""
    if amendment.kind == "modify" and today is not None:
        carried = rebase_text(amendment.base_text, amendment.text, today.text)
        if carried is not None:
            return carried
    return amendment.text


def _back(amendment_id: int) -> str:
    return url_for("amendments.show", amendment_id=amendment_id)


@bp.route("/amendments/<int:amendment_id>/position", methods=["POST"])
@login_required
def position(amendment_id):
    amendment = queries.get_amendment(amendment_id)
    stance = request.form.get("stance", "")
    if stance == "withdraw":
        return _act(
            lambda: services.withdraw_position(amendment, current_user),
            _back(amendment_id),
            _("Your position was withdrawn."),
        )
    return _act(
        lambda: services.set_position(amendment, current_user, stance),
        _back(amendment_id),
        f"Your position: {STANCES.get(stance, stance).lower()}.",
    )


@bp.route("/amendments/<int:amendment_id>/accept", methods=["POST"])
@login_required
def accept(amendment_id):
    amendment = queries.get_amendment(amendment_id)
    with domain_action(reraise=(Forbidden,)) as outcome:
        result = services.accept_amendment(amendment, current_user, request.form.get("reason"))
    if outcome.failed:
        return redirect(_back(amendment_id))
    if result.ok:
        flash(
            _(
                "Amendment #%(id)s accepted: %(label)s created.",
                id=amendment.id,
                label=result.version.label,
            ),
            "success",
        )
    else:
        flash(result.conflict["message"], "error")
    return redirect(_back(amendment_id))


def _decide_on_page(amendment_id: int, decide, success: str):
    """A decision from the amendment page's form, with the reason typed there."""
    amendment = queries.get_amendment(amendment_id)
    return _act(
        lambda: decide(amendment, current_user, request.form.get("reason")),
        _back(amendment_id),
        success,
    )


@bp.route("/amendments/<int:amendment_id>/reject", methods=["POST"])
@login_required
def reject(amendment_id):
    return _decide_on_page(
        amendment_id, services.reject_amendment, f"Amendment #{amendment_id} rejected."
    )


@bp.route("/amendments/<int:amendment_id>/request-rebase", methods=["POST"])
@login_required
def request_rebase(amendment_id):
    return _decide_on_page(
        amendment_id,
        services.request_rebase,
        f"Amendment #{amendment_id} was sent back to its proposer to be rebased.",
    )


@bp.route("/amendments/<int:amendment_id>/withdraw", methods=["POST"])
@login_required
def withdraw(amendment_id):
    return _decide_on_page(
        amendment_id, services.withdraw_amendment, f"Amendment #{amendment_id} withdrawn."
    )


@bp.route("/amendments/<int:amendment_id>/rebase", methods=["POST"])
@login_required
def rebase(amendment_id):
    amendment = queries.get_amendment(amendment_id)
    text = request.form.get("text") if amendment.kind != "delete" else None
    return _act(
        lambda: services.rebase_amendment(amendment, current_user, text),
        _back(amendment_id),
        _(
            "Amendment #%(amendment_id)s now stands against today's text.",
            amendment_id=amendment_id,
        ),
    )


@bp.route("/amendments/<int:amendment_id>/comments", methods=["POST"])
@login_required
def comment(amendment_id):
    amendment = queries.get_amendment(amendment_id)
    return _act(
        lambda: proceedings.add_comment(
            amendment,
            current_user,
            request.form.get("text", ""),
            request.form.get("on_behalf_of") or None,
        ),
        _back(amendment_id) + "#comments",
        "Comment posted.",
    )


@bp.route("/documents/<slug>/paragraphs/<key>/amendments")
def paragraph(slug, key):
    document = get_document(slug)
    target = next((p for p in document.current_version.paragraphs if p.key == key), None)
    if target is None:
        abort(404, _("The current version has no such paragraph."))
    amendments = queries.competing(document, key)
    return render_template(
        "amendments/paragraph.html",
        document=document,
        paragraph=target,
        amendments=amendments,
        tallies=queries.tallies(a.id for a in amendments),
        history=queries.paragraph_status_history(document, key),
        blame=queries.blame(document.current_version).get(key),
        can_decide=permissions.can_decide(current_user, document),
        paragraph_statuses=PARAGRAPH_STATUSES,
        **_nav(document, "amendments.index"),
    )


@bp.route("/documents/<slug>/paragraphs/<key>/status", methods=["POST"])
@login_required
def paragraph_status(slug, key):
    document = get_document(slug)
    back = request.form.get("back") or ""
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("amendments.paragraph", slug=slug, key=key)
    status = request.form.get("status", "")
    return _act(
        lambda: proceedings.set_paragraph_status(
            document, current_user, key, status, request.form.get("note", "")
        ),
        back,
        f"Paragraph marked {PARAGRAPH_STATUSES.get(status, status)}.",
    )


@bp.route("/documents/<slug>/amendment-period", methods=["POST"])
@login_required
def period(slug):
    document = get_document(slug)
    open_ = request.form.get("period") == "open"
    return _act(
        lambda: proceedings.set_amendment_period(
            document,
            current_user,
            open_=open_,
            closes_at=proceedings.parse_closes_at(request.form.get("closes_at")) if open_ else None,
        ),
        url_for("amendments.index", slug=slug),
        _("The amendment period is open.") if open_ else _("The amendment period is closed."),
    )


@bp.route("/documents/<slug>/compilation")
def compilation(slug):
    document = get_document(slug)
    pending = queries.pending_by_paragraph(document)
    ids = [a.id for group in pending.values() for a in group]
    statuses = queries.paragraph_statuses(document)
    version = document.current_version

    def quiet(paragraph) -> bool:
        status = statuses.get(paragraph.key)
        return not (
            pending.get(paragraph.key)
            or pending.get(f"after:{paragraph.key}")
            or (status and status.status != "open")
        )

    return render_template(
        "amendments/compilation.html",
        document=document,
        version=version,
        runs=fold_quiet(version.paragraphs if version else [], quiet=quiet),
        pending=pending,
        tallies=queries.tallies(ids),
        statuses=statuses,
        **_nav(document, "amendments.compilation"),
    )
