"""Fixtures of the documents tests: Markdown drafts on disk and versions appended in place."""

import pytest
from documents_samples import FIRST_DRAFT, SECOND_DRAFT  # noqa: F401

from app.extensions import db


@pytest.fixture
def write_draft(tmp_path):
    """write_draft("name.md" or "dir/name.md", text or bytes) -> Path."""

    def factory(name, content):
        path = tmp_path / "drafts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return factory


@pytest.fixture
def add_version(app):
    """add_version(document, paragraphs, author=None, message="") -> Version (committed)."""
    from app.documents.services import append_version

    def factory(document, paragraphs, author=None, message="Next version", cause="publish"):
        version = append_version(
            document, list(paragraphs), author=author, cause=cause, message=message
        )
        db.session.commit()
        return version

    return factory


@pytest.fixture(autouse=True)
def _fresh_api_user_per_request(app):
    """app.accounts.api_auth caches the token's user in `g`, which the test client shares between
    requests because the test's app context stays pushed; forget it at each request."""
    from flask import g

    def forget():
        g.pop("api_user", None)

    app.before_request(forget)
