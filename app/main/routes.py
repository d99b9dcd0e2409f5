"""Home page and site-wide error pages."""

from flask import current_app, jsonify, render_template, request, send_from_directory
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as NotFoundError

from app.core.errors import DomainError, ValidationError
from app.documents.hooks import languages
from app.documents.queries import list_documents
from app.extensions import db
from app.main import bp


@bp.route("/documents")
@bp.route("/")  # registered first, so url_for gives "/"
def index():
    documents = [(document, languages(document)) for document in list_documents()]
    return render_template("main/index.html", documents=documents)


@bp.route("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page links: no 404 for them."""
    return send_from_directory(
        current_app.static_folder, "icons/favicon.ico", mimetype="image/vnd.microsoft.icon"
    )


@bp.before_app_request
def refuse_nul_characters():
    """No text may hold a NUL character (PostgreSQL text cannot store one): a clear 400."""
    fields = list(request.args.items(multi=True))
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields += request.form.items(multi=True)
    if any("\x00" in value for _name, value in fields):
        raise ValidationError(_l("The request contains a NUL character, which no text may hold."))


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def error_json(code: str, message: str, status: int, details: dict | None = None):
    body = {"error": {"code": code, "message": message}}
    if details:
        body["error"].update(details)
    return jsonify(body), status


@bp.app_errorhandler(DomainError)
def handle_domain_error(error: DomainError):
    if _wants_json():
        return error_json(error.code, error.message, error.status, error.details)
    return render_template(
        "errors/error.html", status=error.status, message=error.message
    ), error.status


@bp.app_errorhandler(HTTPException)
def handle_http_error(error: HTTPException):
    if _wants_json():
        code = {
            400: "bad_request",
            401: "unauthenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            413: "too_large",
            429: "rate_limited",
        }
        return error_json(code.get(error.code, "error"), error.description, error.code)
    message = error.description
    if isinstance(error, NotFoundError) and message == NotFoundError.description:
        message = _(
            "There is no page at this address. The link may be mistyped, or the page may have moved."
        )
    elif message == type(error).description:  # werkzeug's English default: say it in the reader's
        message = _("The request could not be carried out (error %(status)s).", status=error.code)
    return render_template("errors/error.html", status=error.code, message=message), error.code


@bp.app_errorhandler(IntegrityError)
def handle_integrity_error(error: IntegrityError):
    """Two requests raced to create the same row (one e-mail, one membership): the database
    kept one, and the other request is told so instead of seeing a 500."""
    db.session.rollback()
    current_app.logger.info("Refused by a database constraint on %s: %s", request.path, error.orig)
    message = "Someone else made the same change at the same moment; reload the page to see it."
    if _wants_json():
        return error_json("conflict", message, 409)
    return render_template("errors/error.html", status=409, message=message), 409


@bp.app_errorhandler(Exception)
def handle_unexpected(error: Exception):
    current_app.logger.exception("Unhandled error on %s", request.path)
    if _wants_json():
        return error_json("internal_error", "Something went wrong on our side.", 500)
    return render_template(
        "errors/error.html", status=500, message=_("Something went wrong on our side.")
    ), 500
