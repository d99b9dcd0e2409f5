"""Conditional GETs: a reader who asks again for a page or an API read that has not changed
gets 304 Not Modified instead of the whole body again (what matters on a slow, costly link).

The validator is a weak ETag over what the reader would get: the body, with this request's
CSP nonce and CSRF token taken out (they differ on every request while the content does not),
and the signed-in person's id (a signed-in page's ETag is never another person's). Any change
that shows on the page changes the body, so a stale page is never confirmed as fresh; a change
that does not show (a new amendment on another document) does not cost a new download.

A 304 carries no Content-Security-Policy: the browser keeps the one stored with the page,
whose nonce matches the page's inline scripts (a new nonce would block them).
"""

from __future__ import annotations

import hashlib

from flask import Flask, g, request
from flask_login import current_user

CONDITIONAL_TYPES = {"text/html", "application/json", "application/atom+xml"}
# Pages may differ with the session (the person, the interface language) and the languages
# the browser asks for: shared caches must keep them apart.
VARY = ("Cookie", "Accept-Language")


def _volatile_parts() -> list[bytes]:
    """The per-request values printed in the body: the CSP nonce and the CSRF token."""
    parts = [g.get("csp_nonce"), g.get("csrf_token")]
    return [part.encode() for part in parts if part]


def page_etag(body: bytes, user_id: int | None) -> str:
    for part in _volatile_parts():
        body = body.replace(part, b"")
    digest = hashlib.sha256(body)
    digest.update(f"\0user:{user_id or ''}".encode())
    return digest.hexdigest()[:32]


def _applies(response) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and response.mimetype in CONDITIONAL_TYPES
        and not response.is_streamed
        and not response.direct_passthrough
        and "ETag" not in response.headers
        and "no-store" not in (response.headers.get("Cache-Control") or "")
    )


def _add_vary(response) -> None:
    present = {v.strip().lower() for v in (response.headers.get("Vary") or "").split(",") if v}
    missing = [name for name in VARY if name.lower() not in present]
    if missing:
        response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), *missing]))


def _conditional(response):
    if not _applies(response):
        return response
    user_id = current_user.get_id() if current_user.is_authenticated else None
    etag = page_etag(response.get_data(), user_id)
    response.set_etag(etag, weak=True)
    _add_vary(response)
    if "Cache-Control" not in response.headers:
        # Always revalidated (304 when unchanged); a signed-in page stays in the browser only.
        response.headers["Cache-Control"] = "private, no-cache" if user_id else "no-cache"
    if request.if_none_match.contains_weak(etag):
        response.status_code = 304
        response.set_data(b"")
        for name in ("Content-Length", "Content-Type", "Content-Security-Policy"):
            response.headers.pop(name, None)
    return response


def init_app(app: Flask) -> None:
    """Register after the compression hook and before the security headers (hooks run in
    reverse order): the ETag is computed on the plain body, and a 304 drops the CSP."""
    app.after_request(_conditional)
