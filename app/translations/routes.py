"""Translation pages: dashboard, a document's languages, the translator's view, XLIFF."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.accounts.guards import login_redirect
from app.core.actions import domain_action
from app.core.errors import Forbidden, NotFound
from app.core.textdiff import diff_html
from app.documents import hooks
from app.documents.models import Document
from app.documents.permissions import can_translate
from app.documents.queries import get_document
from app.extensions import db
from app.translations import bp, services, xliff
from app.translations.forms import AddLanguageForm, ReviewForm, TranslationForm, XliffUploadForm
from app.translations.languages import default_languages, language, safe_tag
from app.translations.models import STATES
from app.translations.queries import (
    aligned_paragraphs,
    document_progress,
    get_language_version,
    history,
    language_progress,
    progress,
)

FILTERS = {
    "all": (_l("All paragraphs"), None),
    "missing": (_l("Missing"), {"missing"}),
    "outdated": (_l("Outdated"), {"outdated"}),
    "unreviewed": (_l("Unreviewed"), {"translated"}),
}
# "Needing work" for the translator: nothing there yet, or the source changed since.
NEEDS_WORK = {"missing", "outdated"}


@bp.context_processor
def _document_shell():
    return {"tabs": hooks.TABS}


@bp.route("/translations")
def dashboard():
    documents = db.session.scalars(select(Document).order_by(Document.title)).all()
    by_document: dict[int, list] = {}
    for item in progress():
        by_document.setdefault(item.document_id, []).append(item)
    return render_template(
        "translations/dashboard.html",
        documents=documents,
        by_document=by_document,
    )


def _document_page(document, form=None, status=200):
    items = document_progress(document)
    present = {item.lang for item in items}
    suggestions = [lang for lang in default_languages(document.language) if lang.tag not in present]
    return render_template(
        "translations/document.html",
        document=document,
        progress=items,
        source=language(safe_tag(document.language)),
        suggestions=suggestions,
        form=form or AddLanguageForm(),
        can_edit=can_translate(current_user, document),
    ), status


@bp.route("/documents/<slug>/translations")
def document(slug):
    return _document_page(get_document(slug))


@bp.route("/documents/<slug>/translations", methods=["POST"])
def add_language(slug):
    document = get_document(slug)
    if (response := login_redirect()) is not None:
        return response
    services.require_translator(current_user, document)
    form = AddLanguageForm()
    if not form.validate_on_submit():
        return _document_page(document, form, 400)
    with domain_action(reraise=(Forbidden,), flash_error=False) as outcome:
        added = services.add_language(document, form.lang.data, current_user)
    if outcome.failed:
        form.lang.errors = [outcome.error.message]
        return _document_page(document, form, outcome.error.status)
    flash(_("%(name)s version added.", name=language(added.lang).name), "success")
    return redirect(url_for("translations.edit", slug=slug, lang=added.lang))


def _rows_with_navigation(rows):
    """Per row: the key of the next paragraph needing work (wrapping round), for the plain link."""
    needing = [row.key for row in rows if row.state in NEEDS_WORK]
    order = {row.key: index for index, row in enumerate(rows)}
    result = []
    for row in rows:
        after = [key for key in needing if order[key] > order[row.key]]
        following = (
            after[0] if after else (needing[0] if needing and needing[0] != row.key else None)
        )
        result.append((row, following))
    return result


def _edit_page(document, lang, *, show="all", problem=None, status=200):
    """Render the translator's view; `problem` carries a refused save back into its row."""
    target = get_language_version(document, lang)
    if show not in FILTERS:
        show = "all"
    rows = aligned_paragraphs(document, target.tag)
    wanted = FILTERS[show][1]
    diffs = {
        row.key: diff_html(row.translation.source_text, row.source)
        for row in rows
        if row.state == "outdated"
    }
    needing = [row.key for row in rows if row.state in NEEDS_WORK]
    visible = [
        (row, nxt)
        for row, nxt in _rows_with_navigation(rows)
        if wanted is None or row.state in wanted
    ]
    return render_template(
        "translations/edit.html",
        document=document,
        target=target,
        source=language(safe_tag(document.language)),
        rows=visible,
        total=len(rows),
        diffs=diffs,
        show=show,
        filters=FILTERS,
        states=STATES,
        problem=problem or {},
        first_needing=needing[0] if needing else None,
        progress=language_progress(document, target.tag),
        can_edit=can_translate(current_user, document),
        review_form=ReviewForm(),
        upload_form=XliffUploadForm(),
    ), status


@bp.route("/documents/<slug>/translations/<lang>")
def edit(slug, lang):
    document = get_document(slug)
    return _edit_page(document, lang, show=request.args.get("show", "all"))


@bp.route("/documents/<slug>/translations/<lang>/<key>", methods=["POST"])
def save(slug, lang, key):
    document = get_document(slug)
    if (response := login_redirect()) is not None:
        return response
    services.require_translator(current_user, document)
    target = get_language_version(document, lang)
    form = TranslationForm()
    show = form.show.data or "all"
    if not form.validate_on_submit():
        errors = [str(e) for field in (form.text, form.version) for e in field.errors]
        return _edit_page(
            document,
            target.tag,
            show=show,
            status=400,
            problem={
                "key": key,
                "message": " ".join(errors) or _("The form was not valid."),
                "text": form.text.data,
                "version": form.version.data,
            },
        )
    with domain_action(reraise=(Forbidden, NotFound), flash_error=False) as outcome:
        services.save_translation(
            document,
            target.tag,
            key,
            form.text.data,
            current_user,
            expected_version=form.version.data,
        )
    if (error := outcome.error) is not None:
        current = error.details.get("current")
        return _edit_page(
            document,
            target.tag,
            show=show,
            status=error.status,
            problem={
                "key": key,
                "message": error.message,
                "text": form.text.data,
                "current": current,
                # After a conflict the form carries the version now saved: saving again is deliberate.
                "version": current["version"] if current else form.version.data,
            },
        )
    flash(_("Translation saved."), "success")
    return redirect(
        url_for("translations.edit", slug=slug, lang=target.tag, show=show, _anchor=f"p-{key}")
    )


@bp.route("/documents/<slug>/translations/<lang>/<key>/review", methods=["POST"])
def review(slug, lang, key):
    document = get_document(slug)
    if (response := login_redirect()) is not None:
        return response
    target = get_language_version(document, lang)
    form = ReviewForm()
    show = form.show.data or "all"
    with domain_action(reraise=(Forbidden, NotFound), flash_error=False) as outcome:
        services.review_translation(
            document,
            target.tag,
            key,
            current_user,
            expected_version=form.version.data,
        )
    if (error := outcome.error) is not None:
        return _edit_page(
            document,
            target.tag,
            show=show,
            status=error.status,
            problem={
                "key": key,
                "message": error.message,
                "current": error.details.get("current"),
            },
        )
    flash(_("Translation marked as reviewed."), "success")
    return redirect(
        url_for("translations.edit", slug=slug, lang=target.tag, show=show, _anchor=f"p-{key}")
    )


@bp.route("/documents/<slug>/translations/<lang>/<key>/history")
def paragraph_history(slug, lang, key):
    document = get_document(slug)
    target = get_language_version(document, lang)
    row = next((r for r in aligned_paragraphs(document, target.tag) if r.key == key), None)
    if row is None:
        raise NotFound(
            _l(
                "The current version of %(title)s has no paragraph %(key)s.",
                title=repr(document.title),
                key=repr(key),
            )
        )
    revisions = history(row.translation) if row.translation else []
    return render_template(
        "translations/history.html",
        document=document,
        target=target,
        row=row,
        revisions=revisions,
        source=language(safe_tag(document.language)),
    )


@bp.route("/documents/<slug>/translations/<lang>/xliff")
def export_xliff(slug, lang):
    document = get_document(slug)
    target = get_language_version(document, lang)
    return xliff.download(document, target.tag, request.args.get("version"))


@bp.route("/documents/<slug>/translations/<lang>/xliff", methods=["POST"])
def import_xliff(slug, lang):
    document = get_document(slug)
    if (response := login_redirect()) is not None:
        return response
    services.require_translator(current_user, document)
    target = get_language_version(document, lang)
    max_bytes = current_app.config["XLIFF_MAX_BYTES"]
    form = XliffUploadForm()
    report, message, status = None, None, 200
    if not form.validate_on_submit():
        message, status = (
            " ".join(map(str, form.file.errors)) or _("Choose an XLIFF file to import."),
            400,
        )
    else:
        data = form.file.data.read(max_bytes + 1)
        with domain_action(reraise=(Forbidden, NotFound), flash_error=False) as outcome:
            report = xliff.import_xliff(
                document, target.tag, data, current_user, max_bytes=max_bytes
            )
        if outcome.failed:
            message, status = outcome.error.message, outcome.error.status
    return render_template(
        "translations/import_report.html",
        document=document,
        target=target,
        report=report,
        message=message,
        upload_form=XliffUploadForm(),
    ), status
