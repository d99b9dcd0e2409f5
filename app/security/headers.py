"""Security headers on every response, and a per-request nonce for inline scripts.

Scripts come from the app's own bundle; an inline <script> must carry
`nonce="{{ csp_nonce() }}"`. Style attributes stay allowed (three templates set a CSS
custom property or a bar width with them) but <style> elements and foreign sheets do not.
"""

import secrets

from flask import g

HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce() -> str:
    """The nonce of this request's Content-Security-Policy (made on first use)."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def _secure_response(response):
    from flask import current_app, request

    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure or current_app.config.get("SECURE_COOKIES"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _secure_cookies(app) -> None:
    """Over HTTPS: Secure cookies with the __Host- prefix (no Domain, Path=/, Secure only)."""
    if not app.config.get("SECURE_COOKIES"):
        return
    app.config.update(
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_NAME="__Host-session",
        SESSION_COOKIE_DOMAIN=None,
        SESSION_COOKIE_PATH="/",
        REMEMBER_COOKIE_SECURE=True,
        REMEMBER_COOKIE_NAME="__Host-remember_token",
        REMEMBER_COOKIE_DOMAIN=None,
        REMEMBER_COOKIE_PATH="/",
        PREFERRED_URL_SCHEME="https",
    )


def init_app(app) -> None:
    _secure_cookies(app)
    app.after_request(_secure_response)
    app.add_template_global(csp_nonce)
