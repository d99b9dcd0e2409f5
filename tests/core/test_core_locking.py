"""Row locks and unique races, the same way on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import event

from app.accounts.models import User
from app.core.errors import Conflict
from app.core.locking import insert_unique, lock_rows
from app.extensions import db


@pytest.fixture
def updates(app):
    """The UPDATE statements the session sends while the test runs."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE"):
            seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_a_row_is_locked_once_per_transaction(app, make_user, updates):
    user = make_user()
    db.session.commit()
    updates.clear()  # what registering wrote (the search index, on PostgreSQL)
    lock_rows(user)
    lock_rows(user)  # held already: an accept locks the document, then appends a version
    assert len(updates) == 1
    db.session.commit()
    lock_rows(user)  # a new transaction takes its own lock
    assert len(updates) == 2
    db.session.rollback()


def test_a_lost_unique_race_becomes_the_domains_conflict(app, make_user):
    first = make_user()
    db.session.commit()
    twin = User(email=first.email, name="Twin", group=first.group)
    twin.password_hash = first.password_hash
    with pytest.raises(Conflict, match="taken"):
        insert_unique(Conflict("That address is taken."), twin)
    # The savepoint rolled back: the transaction goes on.
    assert db.session.get(User, first.id).email == first.email
