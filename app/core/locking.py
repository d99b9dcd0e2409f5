"""One writer at a time on a row, the same way on SQLite and PostgreSQL.

A status change is check-then-act: "is the amendment still proposed? then accept it". Two
requests that both check before either acts both act (a double click made two versions). Every
service that changes a status therefore takes the row's write lock first and checks afterwards,
against the row as it is once no other transaction can change it.
"""

from sqlalchemy import event, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db

_LOCKED = "locked_rows"


def lock_rows(*objects) -> None:
    """Hold each object's row for writing until the commit, then reload it as it now stands.

    PostgreSQL locks the rows (a concurrent request waits here, then reads what the first one
    committed: read committed takes a new snapshot per statement). SQLite has one writer per
    database: this first write starts the write transaction, so a concurrent writer waits here
    (busy timeout) until the first one commits; no read snapshot is held before it, since the
    driver begins transactions only at the first write.
    """
    locked = db.session.info.setdefault(_LOCKED, set())
    objects = [obj for obj in objects if (type(obj), obj.id) not in locked]
    if not objects:
        return  # already held by this transaction (an accept locks, then appends a version)
    db.session.flush()
    for obj in objects:
        model = type(obj)
        db.session.execute(
            update(model)
            .where(model.id == obj.id)
            .values(id=model.id)
            .execution_options(synchronize_session=False)
        )
    for obj in objects:
        db.session.refresh(obj)
    locked.update((type(obj), obj.id) for obj in objects)


@event.listens_for(Session, "after_transaction_end")
def _forget_locks(session, transaction) -> None:
    """Locks end with the transaction (and with a savepoint rolled back): forget them then."""
    session.info.pop(_LOCKED, None)


def insert_unique(conflict: Exception, *new_rows) -> None:
    """Write new rows now, in a savepoint; a unique constraint won by a parallel request raises
    `conflict` (a domain error with a message for people) and leaves the transaction usable.

    The check before an insert ("already nominated?") races like a status check; the database's
    unique constraint is the real guard, and this turns its verdict into the domain's words.
    """
    try:
        with db.session.begin_nested():
            db.session.add_all(new_rows)
            db.session.flush()
    except IntegrityError:
        raise conflict from None


def update_if(row, condition, **values) -> bool:
    """Set `values` on `row` only if `condition` still holds in the database: one conditional
    UPDATE, so of two requests deciding at once exactly one wins (the other gets False).

    On success the loaded object carries the values as committed state, without a reload.
    """
    model = type(row)
    result = db.session.execute(
        update(model)
        .where(model.id == row.id, condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    for name, value in values.items():
        set_committed_value(row, name, value)
    return True
