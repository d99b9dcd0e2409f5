"""Security headers, secure cookies over HTTPS, and inline scripts only with the nonce."""

import re

import pytest

from app import create_app
from app.config import TestConfig


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", ["/", "/login", "/register", "/api/documents", "/nowhere"])
def test_every_answer_carries_the_headers(client, path):
    response = client.get(path)
    csp = _directives(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["object-src"] == "object-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP


def test_nonce_is_new_for_every_request(client):
    first = _directives(client.get("/"))["script-src"]
    second = _directives(client.get("/"))["script-src"]
    assert "'nonce-" in first and first != second


def test_pages_have_no_inline_script_or_handler(client, make_document, make_user, login):
    document = make_document(slug="declaration")
    login(client, make_user(admin=True))
    for path in (
        "/",
        "/login",
        "/register",
        "/profile",
        f"/documents/{document.slug}",
        f"/documents/{document.slug}/live",
        f"/documents/{document.slug}/compilation",
    ):
        response = client.get(path)
        html = response.get_data(as_text=True)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or f'nonce="{nonce}"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+=", html), path


def test_secure_cookies_over_https(database_uri, make_user):
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_uri, "SECURE_COOKIES": True})
    make_user(email="lina@example.org")
    with app.app_context():
        client = app.test_client()
        response = client.post(
            "/login",
            data={
                "email": "lina@example.org",
                "password": "correct horse battery staple",
                "remember": "y",
            },
            base_url="https://localhost",
        )
        assert response.status_code == 302
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("__Host-session=")
        assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        assert app.config["REMEMBER_COOKIE_NAME"].startswith("__Host-")
        assert app.config["REMEMBER_COOKIE_SECURE"] is True
        # The session keeps working under its new name.
        assert client.get("/profile", base_url="https://localhost").status_code == 200
