"""A world with the demo content and every page kind's address, shared by the i18n tests."""

import pytest
from sqlalchemy import text

from app import create_app
from app.config import TestConfig
from app.extensions import db
from tests.support.routes import RULES, path_variants, valid_values

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


def make_world(tmp_path_factory, postgres_schema, name, overrides=None):
    uri = postgres_schema or f"sqlite:///{tmp_path_factory.mktemp(name) / 'w.db'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": uri, **(overrides or {})})
    with app.app_context():
        if postgres_schema:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:
            db.create_all()
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exception is None, result.output
        values, actors = valid_values()
        db.session.remove()
    return app, values, actors


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
