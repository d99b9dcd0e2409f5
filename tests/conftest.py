"""Fixtures shared by the whole suite: an app with a fresh database per test, and factories."""

import os
import re

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import text

from app import create_app
from app.config import TestConfig, database_url
from app.extensions import db
from tests.support.database import empty_database

DEFAULT_PASSWORD = "correct horse battery staple"

# No deadlines: two shared cores make timings meaningless. CI replays a fixed set of examples
# so that a run is reproducible; local runs keep exploring new ones.
settings.register_profile("dev", deadline=None, print_blob=True)
settings.register_profile("ci", deadline=None, print_blob=True, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def _postgres_url() -> str | None:
    """TEST_DATABASE_URL, with one database per xdist worker so that workers never share rows."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        url = re.sub(
            r"/([^/?]+)(\?|$)", lambda m: f"/{m.group(1)}_{worker}{m.group(2)}", url, count=1
        )
    return database_url(url)


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _drop_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


POSTGRES_URL = _postgres_url()


@pytest.fixture(scope="session")
def _postgres_schema():
    """Create the schema once per run on PostgreSQL; tests then only truncate."""
    if not POSTGRES_URL:
        yield None
        return
    _ensure_postgres_database(POSTGRES_URL)
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": POSTGRES_URL})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        db.engine.dispose()
    yield POSTGRES_URL
    _drop_postgres_database(POSTGRES_URL)


@pytest.fixture
def database_uri(tmp_path, _postgres_schema):
    return _postgres_schema or f"sqlite:///{tmp_path / 'test.db'}"


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as in production.

    The `app` fixture keeps one app context pushed for the whole test (so factories and
    queries work), and Flask reuses it for requests; without this, Flask-Login's cached
    user and the API's token user would leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context():  # threads of a test run requests without the test's context
            for name in list(vars(g)):
                delattr(g, name)
        return super().open(*args, **kwargs)


@pytest.fixture
def app_overrides():
    """Extra configuration of the test's app: a module overrides it (e.g. rate limits on)."""
    return {}


@pytest.fixture
def app(database_uri, app_overrides):
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_uri, **app_overrides})
    app.test_client_class = FreshRequestClient
    with app.app_context():
        empty_database(bool(POSTGRES_URL))
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """make_user(group="civil_society", email=None, admin=False, country="KE", name=None) -> User."""
    from app.accounts.services import register_user

    counter = {"n": 0}

    def factory(
        group="civil_society",
        email=None,
        admin=False,
        country="KE",
        name=None,
        organization="Test organization",
        password=DEFAULT_PASSWORD,
    ):
        counter["n"] += 1
        n = counter["n"]
        user = register_user(
            email=email or f"user{n}-{group}@example.org",
            name=name or f"Person {n}",
            password=password,
            group=group,
            country=country,
            organization=organization,
            is_admin=admin,
        )
        db.session.commit()
        return user

    return factory


@pytest.fixture
def login(app):
    """login(client, user): put the user's session in the test client's cookie."""

    def do_login(client, user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return client

    return do_login


@pytest.fixture
def make_token(app):
    """make_token(user) -> the plain token, for `Authorization: Bearer <token>`."""
    from app.accounts.services import create_api_token

    def factory(user, name="test token"):
        _, plain = create_api_token(user, name)
        db.session.commit()
        return plain

    return factory


@pytest.fixture
def make_body(app):
    """make_body(name, kind="working_group", team_role=None, members=(), coordinators=(), is_open=True)."""
    from app.bodies.models import COORDINATOR, MEMBER, Body, Membership
    from app.documents.services import slugify

    def factory(
        name="Drafting team",
        kind="team",
        team_role="drafting",
        members=(),
        coordinators=(),
        is_open=None,
        slug=None,
    ):
        body = Body(
            slug=slug or slugify(name),
            name=name,
            kind=kind,
            team_role=team_role,
            purpose=f"Purpose of {name}",
            is_open=(kind != "team") if is_open is None else is_open,
        )
        db.session.add(body)
        db.session.flush()
        for user in members:
            db.session.add(Membership(body_id=body.id, user_id=user.id, role=MEMBER))
        for user in coordinators:
            db.session.add(Membership(body_id=body.id, user_id=user.id, role=COORDINATOR))
        db.session.commit()
        return body

    return factory


SAMPLE_PARAGRAPHS = [
    "# Sample declaration",
    "All stakeholder groups take part in drafting as equals.",
    "Every version of the text is public and kept forever.",
    "Amendments are weighed with equal weight per stakeholder group.",
]


@pytest.fixture
def make_document(app):
    """make_document(paragraphs=None, title=None, owner=None, status="open", language="en") -> Document."""
    from app.documents.services import create_document

    def factory(
        paragraphs=None,
        title=None,
        owner=None,
        status="open",
        language="en",
        slug=None,
        author=None,
    ):
        paragraphs = list(paragraphs or SAMPLE_PARAGRAPHS)
        document = create_document(
            title=title or paragraphs[0].lstrip("# ").strip(),
            markdown="\n\n".join(paragraphs),
            language=language,
            owner=owner,
            status=status,
            slug=slug,
            author=author,
        )
        db.session.commit()
        return document

    return factory


# Service-backed and browser tests skip with a visible reason where the service is missing,
# except where REQUIRE_<SERVICE>=1 (as in CI), where a missing service fails the test.
def _service_available(marker: str) -> tuple[bool, str]:
    import shutil
    import socket

    if marker == "browser":
        path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
        return (os.path.exists(path) or shutil.which(path) is not None, f"no Chromium at {path}")
    port = {"postgres": 5432, "redis": 6379}[marker]
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True, ""
    except OSError:
        return False, f"no {marker} server on 127.0.0.1:{port}"


def pytest_runtest_setup(item):
    for marker in ("browser", "postgres", "redis"):
        if item.get_closest_marker(marker):
            available, reason = _service_available(marker)
            if not available:
                if os.environ.get(f"REQUIRE_{marker.upper()}") == "1":
                    pytest.fail(f"{reason}, and REQUIRE_{marker.upper()}=1 makes it mandatory")
                pytest.skip(reason)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(app):
    """Serve `app` (HTTP and Socket.IO) on a free port in a thread; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    port = server.server_port
    app.config["SITE_ORIGIN"] = f"http://127.0.0.1:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def browser():
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    # Playwright's wait_for_function compiles its predicate in the page (new Function), which
    # the Content-Security-Policy forbids; the app's own scripts need no such exception.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
