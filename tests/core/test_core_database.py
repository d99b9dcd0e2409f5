"""SQLite connections: WAL with synchronous=NORMAL unless the environment asks for more."""

import pytest
from sqlalchemy import create_engine, text

import app.core.database  # noqa: F401  (the connect hook)
from app.core.database import synchronous_level

LEVELS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def pragma(tmp_path, name):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with engine.connect() as connection:
            return connection.execute(text(f"PRAGMA {name}")).scalar()
    finally:
        engine.dispose()


def test_wal_with_normal_sync_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("SQLITE_SYNCHRONOUS", raising=False)
    assert pragma(tmp_path, "journal_mode") == "wal"
    assert LEVELS[pragma(tmp_path, "synchronous")] == "NORMAL"


def test_the_environment_restores_a_disk_sync_per_commit(tmp_path, monkeypatch):
    monkeypatch.setenv("SQLITE_SYNCHRONOUS", "full")
    assert LEVELS[pragma(tmp_path, "synchronous")] == "FULL"


def test_an_unknown_level_is_refused_with_its_choices(monkeypatch):
    monkeypatch.setenv("SQLITE_SYNCHRONOUS", "sometimes")
    with pytest.raises(ValueError, match="NORMAL"):
        synchronous_level()
