"""A test database made empty the same way everywhere."""

from sqlalchemy import text

from app.extensions import db


def empty_database(on_postgres: bool) -> None:
    """PostgreSQL: the run's schema exists already, so empty every table; SQLite: create them."""
    if on_postgres:
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    else:
        db.create_all()
