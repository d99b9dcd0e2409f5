"""A world with the demo content and every page kind's address, shared by the i18n tests."""

import pytest

from app.extensions import db
from tests.support.routes import RULES, make_world, path_variants

# Pages that are files or data, not pages people read (feeds, downloads, JSON, sockets).
NOT_PAGES = ("api.", "static", "coedit.log", "coedit.preview", "coedit.replay_frame")


def page_urls(values) -> list[tuple[str, str]]:
    """(endpoint, url) of every GET page, its path values naming real demo objects."""
    urls = []
    for path, endpoint, methods, _read, converters in RULES:
        if "GET" not in methods or path.startswith("/api/") or endpoint.startswith(NOT_PAGES):
            continue
        if any(word in path for word in ("feed", "xliff", ".json", ".atom", "/export")):
            continue
        urls.append((endpoint, path_variants(path, endpoint, converters, values)[0][1]))
    return urls


@pytest.fixture(scope="module")
def world(tmp_path_factory, _postgres_schema):
    app, values, actors = make_world(tmp_path_factory, _postgres_schema, "i18n")
    yield app, values, actors
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def open_as(client, actor):
    with client.session_transaction() as session:
        session.clear()
        if actor["user_id"]:
            session["_user_id"] = actor["user_id"]
            session["_fresh"] = True
