"""The language switcher: remembers the choice in the session, a cookie and the profile."""

from urllib.parse import urlsplit

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.extensions import db
from app.i18n import bp
from app.i18n.locale import COOKIE_MAX_AGE, COOKIE_NAME, INTERFACE_LANGUAGES, SESSION_KEY


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host) is followed back."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return url_for("main.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return url_for("main.index")
    return target


@bp.get("/language")
def choose():
    """A link per language (no form, so pages stay free of writes for visitors)."""
    language = request.args.get("language")
    if language is None:
        # Without a choice: a page of the languages (for a link shared or typed by hand).
        return render_template("i18n/choose.html", next=_safe_next(request.args.get("next")))
    if language not in current_app.config.get("INTERFACE_LANGUAGES", INTERFACE_LANGUAGES):
        abort(404)
    session[SESSION_KEY] = language
    if current_user.is_authenticated and hasattr(current_user, "ui_language"):
        current_user.ui_language = language
        db.session.commit()
    response = redirect(_safe_next(request.values.get("next")), code=303)
    response.set_cookie(
        COOKIE_NAME, language, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True
    )
    return response
