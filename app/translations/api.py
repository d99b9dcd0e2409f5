"""Translation rows of the public JSON API."""

from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from app.accounts.api_auth import api_user
from app.core.api import bp, json_body
from app.core.errors import TooLarge, ValidationError
from app.documents.queries import get_document
from app.extensions import db
from app.translations import (
    openapi,  # noqa: F401 - registers the description
    services,
    xliff,
)
from app.translations.languages import language, safe_tag
from app.translations.queries import (
    aligned_paragraphs,
    document_progress,
    get_language_version,
    language_progress,
)


def _user_json(user) -> dict | None:
    return {"name": user.name, "group": user.group} if user is not None else None


def translation_json(translation) -> dict | None:
    if translation is None:
        return None
    return {
        "text": translation.text,
        "source_text": translation.source_text,
        "version": translation.version,
        "translator": _user_json(translation.translator),
        "reviewer": _user_json(translation.reviewer),
        "reviewed_at": translation.reviewed_at.isoformat() if translation.reviewed_at else None,
        "updated_at": translation.updated_at.isoformat() if translation.updated_at else None,
    }


@bp.route("/documents/<slug>/translations")
def list_translations(slug):
    document = get_document(slug)
    return jsonify(
        {
            "document": document.slug,
            "source_language": document.language,
            "languages": [item.as_dict() for item in document_progress(document)],
        }
    )


@bp.route("/documents/<slug>/translations", methods=["POST"])
def add_translation_language(slug):
    user = api_user()
    document = get_document(slug)
    data = json_body()
    if not isinstance(data.get("lang"), str):
        raise ValidationError(_l('Give the language as {"lang": "<BCP 47 code>"}.'))
    added = services.add_language(document, data["lang"], user)
    db.session.commit()
    return jsonify(language_progress(document, added.lang).as_dict() | {"lang": added.lang}), 201


@bp.route("/documents/<slug>/translations/<lang>")
def get_translation_version(slug, lang):
    document = get_document(slug)
    target = get_language_version(document, lang)
    rows = aligned_paragraphs(document, target.tag)
    version = document.current_version
    return jsonify(
        {
            "document": document.slug,
            "lang": target.tag,
            "name": target.name,
            "native_name": target.native_name,
            "dir": target.dir,
            "source_language": document.language,
            "source_dir": language(safe_tag(document.language)).dir,
            "version": {"number": version.number, "label": version.label} if version else None,
            "progress": language_progress(document, target.tag).as_dict(),
            "paragraphs": [
                {
                    "key": row.key,
                    "number": row.number,
                    "state": row.state,
                    "source": row.source,
                    "translation": translation_json(row.translation),
                }
                for row in rows
            ],
        }
    )


@bp.route("/documents/<slug>/translations/<lang>/<key>", methods=["PUT"])
def put_translation(slug, lang, key):
    user = api_user()
    document = get_document(slug)
    data = json_body()
    if "text" not in data:
        raise ValidationError(_l('Give the translation as {"text": "...", "version": <n>}.'))
    version = data.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ValidationError(
            _l("version must be the integer version you edited (0 for a new one).")
        )
    translation, changed = services.save_translation(
        document,
        lang,
        key,
        data["text"],
        user,
        expected_version=version,
        require_version=True,
    )
    db.session.commit()
    return jsonify(
        {
            "key": key,
            "lang": translation.lang,
            "changed": changed,
            "state": "translated" if changed or not translation.reviewed_at else "reviewed",
            "translation": translation_json(translation),
        }
    )


@bp.route("/documents/<slug>/translations/<lang>/<key>/review", methods=["POST"])
def review_translation(slug, lang, key):
    user = api_user()
    document = get_document(slug)
    # The body is optional, but one that is sent must parse: a lost `version` skips the check.
    data = json_body() if request.get_data() else {}
    translation = services.review_translation(
        document,
        lang,
        key,
        user,
        expected_version=data.get("version"),
    )
    db.session.commit()
    return jsonify(
        {
            "key": key,
            "lang": translation.lang,
            "state": "reviewed",
            "translation": translation_json(translation),
        }
    )


@bp.route("/documents/<slug>/translations/<lang>/xliff")
def export_xliff(slug, lang):
    document = get_document(slug)
    target = get_language_version(document, lang)
    return xliff.download(document, target.tag, request.args.get("version"))


def _uploaded_bytes(max_bytes: int) -> bytes:
    if request.content_length is not None and request.content_length > max_bytes + 64 * 1024:
        raise TooLarge(
            _l(
                "The file is larger than the limit of %(max_bytes)s KiB.",
                max_bytes=max_bytes // 1024,
            )
        )
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise ValidationError(
                _l('Send the XLIFF file as the request body or as the form field "file".')
            )
        return upload.read(max_bytes + 1)
    return request.stream.read(max_bytes + 1)


@bp.route("/documents/<slug>/translations/<lang>/xliff", methods=["POST"])
def import_xliff(slug, lang):
    user = api_user()
    document = get_document(slug)
    target = get_language_version(document, lang)
    services.require_translator(user, document)
    max_bytes = current_app.config["XLIFF_MAX_BYTES"]
    report = xliff.import_xliff(
        document, target.tag, _uploaded_bytes(max_bytes), user, max_bytes=max_bytes
    )
    db.session.commit()
    return jsonify(report.as_dict())
