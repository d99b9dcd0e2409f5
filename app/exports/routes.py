"""Pages: export downloads, and uploads of Word and Markdown files (thin views)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.guards import login_required
from app.bodies.queries import bodies_user_can_speak_for
from app.core.actions import domain_action
from app.core.errors import Forbidden, ValidationError
from app.core.forms import PageForm
from app.documents import hooks
from app.documents.permissions import can_manage, is_admin
from app.documents.queries import get_document, parse_version_number
from app.documents.routes import parse_lang
from app.exports import bp, queries, services
from app.exports.api import download, owner_body
from app.exports.formats import COMPILATION_FORMATS, DIFF_FORMATS, VERSION_FORMATS

FORMAT_LABELS = {
    "docx": _l("Word (DOCX)"),
    "pdf": _l("PDF"),
    "html": _l("HTML"),
    "md": _l("Markdown"),
    "txt": _l("Plain text"),
    "akn": _l("Akoma Ntoso XML"),
}


@bp.app_context_processor
def _export_helpers():
    return {
        "export_formats": {
            "version": [(f, FORMAT_LABELS[f]) for f in VERSION_FORMATS],
            "compilation": [(f, FORMAT_LABELS[f]) for f in COMPILATION_FORMATS],
            "diff": [(f, FORMAT_LABELS[f]) for f in DIFF_FORMATS],
        },
        "can_import_version": lambda document: can_manage(current_user, document),
    }


@bp.route("/documents/<slug>/export")
def download_version(slug):
    document = get_document(slug)
    number = request.args.get("version")
    number = parse_version_number(number, "version") if number else None
    lang = parse_lang(request.args.get("lang"))
    return download(queries.export_version(document, number, request.args.get("format"), lang))


@bp.route("/documents/<slug>/compilation/export")
def download_compilation(slug):
    return download(queries.export_compilation(get_document(slug), request.args.get("format")))


@bp.route("/documents/<slug>/diff/export")
def download_diff(slug):
    document = get_document(slug)
    args = request.args
    return download(
        queries.export_diff(document, args.get("from"), args.get("to"), args.get("format"))
    )


def _file() -> tuple[str, bytes]:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError(_l("Choose a .docx or .md file to upload."))
    return upload.filename, upload.read()


@bp.route("/documents/import", methods=["GET", "POST"])
@login_required
def import_document():
    allowed = is_admin(current_user)
    if not allowed and request.method == "POST":
        raise Forbidden(_l("Only administrators create documents."))
    form = PageForm()
    if form.validate_on_submit():
        with domain_action(reraise=(Forbidden,)) as outcome:
            filename, data = _file()
            owner = owner_body(request.form.get("owner"))
            document = services.import_document(
                current_user, filename, data, title=request.form.get("title", ""), owner=owner
            )
        if not outcome.failed:
            flash(
                _(
                    "Imported %(title)s as %(label)s.",
                    title=repr(document.title),
                    label=document.current_version.label,
                ),
                "success",
            )
            return redirect(url_for("documents.show", slug=document.slug))
    return render_template("exports/import.html", form=form, document=None, allowed=allowed), (
        400 if request.method == "POST" else 200
    )


@bp.route("/documents/<slug>/import", methods=["GET", "POST"])
@login_required
def import_version(slug):
    document = get_document(slug)
    allowed = can_manage(current_user, document)
    if not allowed and request.method == "POST":
        raise Forbidden(
            _l("Only coordinators of the owning body and administrators import versions.")
        )
    form = PageForm()
    if form.validate_on_submit():
        with domain_action(reraise=(Forbidden,)) as outcome:
            filename, data = _file()
            version = services.import_version(
                document, current_user, filename, data, message=request.form.get("message", "")
            )
        if not outcome.failed:
            if version is None:
                flash(
                    _("The file has the same text as the current version: nothing changed."), "info"
                )
            else:
                flash(_("Imported %(label)s.", label=version.label), "success")
            return redirect(url_for("documents.show", slug=slug))
    return render_template(
        "exports/import.html",
        form=form,
        document=document,
        document_tabs=hooks.TABS,
        allowed=allowed,
    ), (400 if request.method == "POST" else 200)


def _proposals_from_form() -> list[services.Proposal]:
    proposals = []
    try:
        count = int(request.form.get("count", "0"))
    except ValueError:
        abort(400)
    for i in range(min(count, 500)):
        field = lambda name, i=i: request.form.get(f"{name}_{i}", "")  # noqa: E731
        number = field("number")
        proposals.append(
            services.Proposal(
                kind=field("kind"),
                paragraph=field("paragraph") or None,
                text=field("text"),
                base=field("base"),
                rationale=field("rationale"),
                number=int(number) if number.isdigit() else None,
            )
        )
    return proposals


@bp.route("/documents/<slug>/amendments/import", methods=["GET", "POST"])
@login_required
def import_amendments(slug):
    """Step 1: upload the edited DOCX; step 2: review what will be proposed, give rationales."""
    document = get_document(slug)
    form = PageForm()
    proposals = None
    status = 200
    if form.validate_on_submit():
        confirm = request.form.get("step") == "confirm"
        with domain_action(reraise=(Forbidden,)) as outcome:
            if confirm:
                proposals = _proposals_from_form()
                amendments = services.propose_all(
                    document,
                    current_user,
                    proposals,
                    on_behalf_of=request.form.get("on_behalf_of") or None,
                    version=request.form.get("version") or None,
                )
            else:
                filename, data = _file()
                proposals = services.plan_amendments(document, filename, data)
        if outcome.failed:
            status = 400
        else:
            if confirm:
                flash(
                    _("Proposed %(count)s amendments from the Word file.", count=len(amendments)),
                    "success",
                )
                return redirect(url_for("amendments.index", slug=slug))
    elif request.method == "POST":
        status = 400
    return render_template(
        "exports/amendments_import.html",
        form=form,
        document=document,
        proposals=proposals,
        bodies=bodies_user_can_speak_for(current_user),
        document_tabs=hooks.TABS,
    ), status
