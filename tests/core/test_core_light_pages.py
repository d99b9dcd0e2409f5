"""Light pages for slow links: compressed responses, hashed bundles cached for a year,
304 Not Modified on a repeated conditional GET, never a stale page after a change."""

import gzip
import re
from pathlib import Path

import brotli
import pytest

from app.amendments.services import propose_amendment
from app.documents.queries import version_paragraphs
from app.documents.services import append_version
from app.extensions import db

DIST = Path(__file__).resolve().parents[2] / "app" / "static" / "dist"
LONG_TEXT = [f"Paragraph {n}: all stakeholder groups take part as equals." for n in range(60)]


@pytest.fixture
def built():
    if not (DIST / "manifest.json").exists():
        pytest.skip("assets not built (npm run build)")


# --- compression ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("gzip", "gzip", gzip.decompress), ("gzip, deflate, br", "br", brotli.decompress)],
)
def test_pages_and_api_reads_are_compressed(client, make_document, accept, encoding, decode):
    document = make_document(paragraphs=LONG_TEXT)
    for url in (f"/documents/{document.slug}", f"/api/documents/{document.slug}"):
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        assert "Content-Encoding" not in plain.headers
        assert b"Paragraph 59" in decode(response.get_data())
        assert len(response.get_data()) < len(plain.get_data()) / 3


def test_tiny_bodies_and_compressed_types_stay_plain(client):
    response = client.get("/api/no-such-endpoint", headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 404 and len(response.get_data()) < 500
    assert "Content-Encoding" not in response.headers


def test_socketio_polling_still_answers(client):
    response = client.get(
        "/socket.io/?EIO=4&transport=polling", headers={"Accept-Encoding": "br, gzip"}
    )
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith("0{")


# --- hashed bundles ------------------------------------------------------------------------


def test_templates_name_hashed_bundles_served_immutable(built, client, make_document):
    document = make_document()
    html = client.get(f"/documents/{document.slug}/live").get_data(as_text=True)
    src = re.search(r'src="(/static/dist/coedit-[A-Z0-9]{8}\.js)"', html)
    assert src, "the live page names the hashed bundle"
    response = client.get(src.group(1), headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "br"
    body = brotli.decompress(response.get_data())
    assert b"sourceMappingURL" not in body


def test_no_bundle_refers_to_a_source_map(built):
    for bundle in [*DIST.glob("*.js"), *DIST.glob("*.css")]:
        assert b"sourceMappingURL" not in bundle.read_bytes(), bundle.name


def test_stylesheets_carry_a_content_version(client):
    html = client.get("/").get_data(as_text=True)
    href = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{10})"', html)
    assert href
    assert client.get(href.group(1)).headers["Cache-Control"] == (
        "public, max-age=31536000, immutable"
    )
    plain = client.get("/static/css/site.css")
    assert plain.headers["Cache-Control"] == "public, max-age=300, must-revalidate"
    stale = client.get("/static/css/site.css?v=0000000000")
    assert "immutable" not in stale.headers["Cache-Control"]


# --- conditional GETs ----------------------------------------------------------------------


def _revalidate(client, url, etag):
    return client.get(url, headers={"If-None-Match": etag, "Accept-Encoding": "br"})


def test_repeated_document_page_is_304_until_a_new_version(client, make_document):
    document = make_document()
    url = f"/documents/{document.slug}"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "no-cache"
    assert "Cookie" in first.headers["Vary"]

    again = _revalidate(client, url, etag)
    assert again.status_code == 304
    assert again.get_data() == b""
    assert "Content-Security-Policy" not in again.headers  # the stored one matches the body

    append_version(document, [*LONG_TEXT[:3]], cause="edit", message="New text")
    db.session.commit()
    changed = _revalidate(client, url, etag)
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_new_amendment_changes_the_page_etag(client, make_document, make_user):
    document = make_document()
    url = f"/documents/{document.slug}"
    etag = client.get(url).headers["ETag"]
    assert _revalidate(client, url, etag).status_code == 304
    key = version_paragraphs(document.current_version)[0].key
    propose_amendment(
        document, make_user(), kind="modify", paragraph=key, text="Other text.", rationale="Why."
    )
    db.session.commit()
    response = _revalidate(client, url, etag)
    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_repeated_api_read_is_304_until_a_change(client, make_document):
    document = make_document()
    url = f"/api/documents/{document.slug}"
    etag = client.get(url).headers["ETag"]
    assert _revalidate(client, url, etag).status_code == 304
    append_version(document, ["Only one paragraph now."], cause="edit", message="Shorter")
    db.session.commit()
    fresh = _revalidate(client, url, etag)
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
    assert fresh.get_json()["paragraphs"][0]["text"] == "Only one paragraph now."


def test_signed_in_page_etag_is_private_and_not_shared(app, make_document, make_user, login):
    document = make_document()
    url = f"/documents/{document.slug}"
    alice, bob = app.test_client(), app.test_client()
    login(alice, make_user())
    login(bob, make_user())
    first = alice.get(url)
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in first.headers["Vary"]
    # The page holds a CSRF token and a nonce that change on every request: still a 304.
    assert 'name="csrf_token"' in first.get_data(as_text=True)
    assert _revalidate(alice, url, first.headers["ETag"]).status_code == 304
    # Another person never gets a 304 for it, nor an anonymous reader.
    assert _revalidate(bob, url, first.headers["ETag"]).status_code == 200
    assert _revalidate(app.test_client(), url, first.headers["ETag"]).status_code == 200
