"""Models and migrations never drift apart: upgrading a fresh database yields exactly the models."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from app import create_app
from app.config import TestConfig, database_url
from app.core.schema import include_object
from app.extensions import db


def _fresh_database_uris(tmp_path):
    yield f"sqlite:///{tmp_path / 'migrated.db'}"
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        import psycopg

        name = f"agora_migrations_{uuid.uuid4().hex[:8]}"
        admin = (
            database_url(base).replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0]
        )
        with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield database_url(admin + "/" + name)
        finally:
            with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrations_match_models(tmp_path):
    for uri in _fresh_database_uris(tmp_path):
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": uri})
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(
                    conn, opts={"compare_type": True, "include_object": include_object}
                )
                drift = compare_metadata(context, db.metadata)
            db.engine.dispose()
        assert drift == [], f"models and migrations differ on {uri.split(':')[0]}: {drift}"


def test_migrations_downgrade_to_base(tmp_path):
    uri = f"sqlite:///{tmp_path / 'down.db'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(create_engine(uri)).get_table_names()) - {"alembic_version"}
    assert tables == set()


@pytest.mark.parametrize("table", ["user", "document", "version", "version_paragraph"])
def test_core_tables_are_migrated(tmp_path, table):
    uri = f"sqlite:///{tmp_path / 'core.db'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade()
        assert table in inspect(db.engine).get_table_names()
