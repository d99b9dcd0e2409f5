"""JSON API of documents, versions and diffs on /api (reads public, writes by bearer token)."""

import re

from flask import jsonify, request, url_for
from flask_babel import lazy_gettext as _l

from app.accounts.api_auth import api_user
from app.bodies.queries import body_by_slug
from app.core.api import bp, json_body
from app.core.errors import Forbidden, TooLarge, ValidationError
from app.core.markdown import render_markdown
from app.documents import (
    hooks,
    openapi,  # noqa: F401 - registers the description
    queries,
)
from app.documents.diffing import diff_paragraphs
from app.documents.models import DOCUMENT_STATUSES
from app.documents.permissions import can_manage, is_admin
from app.documents.queries import get_document, get_version
from app.documents.routes import parse_lang
from app.documents.services import create_document, update_document
from app.extensions import db

MAX_MARKDOWN = 1024 * 1024
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}")


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _version_summary(version) -> dict | None:
    if version is None:
        return None
    return {
        "number": version.number,
        "label": version.label,
        "created_at": _iso(version.created_at),
    }


def _version_json(version) -> dict:
    author = version.author
    return {
        **_version_summary(version),
        "cause": version.cause,
        "message": version.message,
        "author": {"name": author.name, "group": author.group} if author else None,
    }


def _document_summary(document) -> dict:
    return {
        "slug": document.slug,
        "title": document.title,
        "status": document.status,
        "language": document.language,
        "languages": hooks.languages(document),
        "owner": document.owner.slug if document.owner else None,
        "latest_version": _version_summary(document.current_version),
        "url": url_for("documents.show", slug=document.slug, _external=True),
    }


def _version_text(document, version, lang) -> dict:
    rows = queries.version_paragraphs(version)
    items = [{"key": p.key, "text": p.text, "html": render_markdown(p.text)} for p in rows]
    localized = hooks.localize(document, version, lang, items)
    paragraphs = []
    for row, item in zip(rows, localized, strict=True):
        entry = {
            "key": row.key,
            "number": row.number,
            "text": item["text"],
            "html": render_markdown(item["text"]),
            "changed_in": row.changed_in.number if row.changed_in else None,
        }
        if lang and item.get("state") != "source":
            entry.update(state=item.get("state"), lang=item.get("lang"), dir=item.get("dir"))
        paragraphs.append(entry)
    return {
        "slug": document.slug,
        "title": document.title,
        "status": document.status,
        "owner": document.owner.slug if document.owner else None,
        "language": document.language,
        "lang": lang or document.language,
        **_version_json(version),
        "current": version.id == document.current_version_id,
        "paragraphs": paragraphs,
    }


@bp.get("/documents", endpoint="documents_list_documents")
def list_documents():
    return jsonify({"documents": [_document_summary(d) for d in queries.list_documents()]})


@bp.get("/documents/<slug>", endpoint="documents_show_document")
def show_document(slug):
    document = get_document(slug)
    lang = parse_lang(request.args.get("lang"))
    version = document.current_version
    if version is None:
        return jsonify({**_document_summary(document), "paragraphs": []})
    return jsonify(_version_text(document, version, lang))


@bp.get("/documents/<slug>/versions", endpoint="documents_list_versions")
def list_versions(slug):
    document = get_document(slug)
    return jsonify(
        {
            "slug": document.slug,
            "versions": [_version_json(v) for v in queries.list_versions(document)],
        }
    )


@bp.get("/documents/<slug>/versions/<int:number>", endpoint="documents_show_version")
def show_version(slug, number):
    document = get_document(slug)
    version = get_version(document, number)
    return jsonify(_version_text(document, version, parse_lang(request.args.get("lang"))))


@bp.get("/documents/<slug>/diff", endpoint="documents_diff_versions")
def diff_versions(slug):
    document = get_document(slug)
    before, after = queries.diff_pair(document, request.args.get("from"), request.args.get("to"))
    entries = diff_paragraphs(queries.version_texts(before), queries.version_texts(after))
    return jsonify(
        {
            "slug": document.slug,
            "from": _version_summary(before),
            "to": _version_summary(after),
            "paragraphs": entries,
        }
    )


def _string(data: dict, name: str, *, required: bool = True) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationError(_l("`%(name)s` must be a non-empty string.", name=name))
    return value


def _owner(slug):
    if slug is None:
        return None
    if not isinstance(slug, str):
        raise ValidationError(_l("`owner` must be the slug of a body, or null."))
    body = body_by_slug(slug)
    if body is None:
        raise ValidationError(_l("No body with the slug %(slug)s.", slug=repr(slug)))
    return body


@bp.post("/documents", endpoint="documents_create")
def create():
    user = api_user()
    if not is_admin(user):
        raise Forbidden(_l("Only administrators create documents."))
    data = json_body()
    title = _string(data, "title")
    markdown = _string(data, "markdown")
    if len(markdown) > MAX_MARKDOWN:
        raise TooLarge(
            _l("The text is larger than %(MAX_MARKDOWN)s KiB.", MAX_MARKDOWN=MAX_MARKDOWN // 1024)
        )
    language = _string(data, "language", required=False) or "en"
    if not _LANGUAGE.fullmatch(language):
        raise ValidationError(
            _l(
                "`language` must be a language tag such as en or pt-BR, not %(language)s.",
                language=repr(language[:40]),
            )
        )
    status = _string(data, "status", required=False) or "drafting"
    if status not in DOCUMENT_STATUSES:
        raise ValidationError(
            _l(
                "Unknown status %(status)s; use one of %(DOCUMENT_STATUSES)s.",
                status=repr(status),
                DOCUMENT_STATUSES=", ".join(DOCUMENT_STATUSES),
            )
        )
    document = create_document(
        title=title,
        markdown=markdown,
        language=language,
        owner=_owner(data.get("owner")),
        author=user,
        status=status,
    )
    db.session.commit()
    response = jsonify(_version_text(document, document.current_version, None))
    response.status_code = 201
    response.headers["Location"] = url_for("api.documents_show_document", slug=document.slug)
    return response


@bp.patch("/documents/<slug>", endpoint="documents_update")
def update(slug):
    user = api_user()
    document = get_document(slug)
    if not can_manage(user, document):
        raise Forbidden(
            _l("Only coordinators of the owning body and administrators manage this document.")
        )
    data = json_body()
    unknown = set(data) - {"status", "owner"}
    if unknown:
        raise ValidationError(
            _l(
                "Unknown field(s): %(unknown)s; use status and owner.",
                unknown=", ".join(sorted(unknown)),
            )
        )
    if not data:
        raise ValidationError(_l("Send `status` and/or `owner`."))
    status = _string(data, "status", required=False) if "status" in data else None
    if "status" in data and status is None:
        raise ValidationError(_l("`status` must be a string."))
    update_document(
        document,
        status=status,
        owner=_owner(data.get("owner")),
        change_owner="owner" in data,
    )
    db.session.commit()
    return jsonify(_document_summary(document))
