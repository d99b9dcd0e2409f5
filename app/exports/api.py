"""JSON API of exports and imports: downloads are public, uploads need a bearer token."""

import io

from flask import jsonify, request, send_file, url_for
from flask_babel import lazy_gettext as _l

from app.accounts.api_auth import api_user
from app.amendments.api import amendment_json
from app.bodies.queries import body_by_slug
from app.core.api import bp
from app.core.errors import ValidationError
from app.documents.queries import get_document
from app.documents.routes import parse_lang
from app.exports import (
    openapi,  # noqa: F401 - registers the description
    queries,
    services,
)
from app.extensions import db


def download(result):
    """A file answer whose name says document, version and language."""
    data, mimetype, name = result
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


def uploaded_file() -> tuple[str, bytes]:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError(
            _l("Send the file as multipart form field `file`."), code="file_required"
        )
    return upload.filename, upload.read()


def owner_body(slug):
    """The owning body named in an upload form, or None; an unknown slug is a 400."""
    if not slug:
        return None
    body = body_by_slug(slug)
    if body is None:
        raise ValidationError(
            _l("No body with the slug %(slug)s.", slug=repr(slug)), code="unknown_body"
        )
    return body


@bp.get("/documents/<slug>/versions/<int:number>/export", endpoint="exports_version")
def export_version(slug, number):
    document = get_document(slug)
    lang = parse_lang(request.args.get("lang"))
    return download(queries.export_version(document, number, request.args.get("format"), lang))


@bp.get("/documents/<slug>/compilation/export", endpoint="exports_compilation")
def export_compilation(slug):
    return download(queries.export_compilation(get_document(slug), request.args.get("format")))


@bp.get("/documents/<slug>/diff/export", endpoint="exports_diff")
def export_diff(slug):
    document = get_document(slug)
    args = request.args
    return download(
        queries.export_diff(document, args.get("from"), args.get("to"), args.get("format"))
    )


@bp.post("/documents/import", endpoint="exports_import_document")
def import_document():
    user = api_user()
    filename, data = uploaded_file()
    document = services.import_document(
        user,
        filename,
        data,
        title=request.form.get("title", ""),
        owner=owner_body(request.form.get("owner")),
    )
    db.session.commit()
    response = jsonify({"slug": document.slug, "title": document.title, "version": 1})
    response.status_code = 201
    response.headers["Location"] = url_for("api.documents_show_document", slug=document.slug)
    return response


@bp.post("/documents/<slug>/import", endpoint="exports_import_version")
def import_version(slug):
    user = api_user()
    document = get_document(slug)
    filename, data = uploaded_file()
    version = services.import_version(
        document, user, filename, data, message=request.form.get("message", "")
    )
    db.session.commit()
    if version is None:
        current = document.current_version
        return jsonify({"unchanged": True, "number": current.number, "label": current.label})
    response = jsonify(
        {
            "unchanged": False,
            "number": version.number,
            "label": version.label,
            "paragraphs": [{"key": p.key, "text": p.text} for p in version.paragraphs],
        }
    )
    response.status_code = 201
    return response


def _proposal_json(proposal) -> dict:
    return {
        "kind": proposal.kind,
        "paragraph": proposal.paragraph if proposal.kind != "insert" else None,
        "after": proposal.paragraph if proposal.kind == "insert" else None,
        "number": proposal.number,
        "text": proposal.text,
        "base_text": proposal.base,
        "rationale": proposal.rationale,
    }


@bp.post("/documents/<slug>/amendments/import", endpoint="exports_import_amendments")
def import_amendments(slug):
    user = api_user()
    document = get_document(slug)
    filename, data = uploaded_file()
    proposals = services.plan_amendments(document, filename, data)
    default = (request.form.get("rationale") or "").strip()
    for proposal in proposals:
        proposal.rationale = proposal.rationale or default
    if request.form.get("dry_run") in ("1", "true"):
        return jsonify({"amendments": [_proposal_json(p) for p in proposals]})
    amendments = services.propose_all(
        document, user, proposals, on_behalf_of=request.form.get("on_behalf_of") or None
    )
    db.session.commit()
    response = jsonify({"amendments": [amendment_json(a) for a in amendments]})
    response.status_code = 201
    return response
