"""One writer at a time on a row, the same way on SQLite and PostgreSQL.

A status change is check-then-act: "is the amendment still proposed? then accept it". Two
requests that both check before either acts both act (a double click made two versions). Every
service that changes a status therefore takes the row's write lock first and checks afterwards,
against the row as it is once no other transaction can change it.
"""

from sqlalchemy import update

from app.extensions import db


def lock_rows(*objects) -> None:
    """Hold each object's row for writing until the commit, then reload it as it now stands.

    PostgreSQL locks the rows (a concurrent request waits here, then reads what the first one
    committed: read committed takes a new snapshot per statement). SQLite has one writer per
    database: this first write starts the write transaction, so a concurrent writer waits here
    (busy timeout) until the first one commits; no read snapshot is held before it, since the
    driver begins transactions only at the first write.
    """
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
