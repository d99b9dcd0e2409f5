"""`changed` for live-text changes committed outside a sync (merged amendments, CLI, API)."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from app.coedit import services
from app.coedit.events.hub import changed_room_of, emit_changed, revs_room_of

log = logging.getLogger(__name__)


@sa_event.listens_for(Session, "after_commit")
def _emit_after_commit(session):
    pending = session.info.pop(services.PENDING_CHANGES, None)
    if not pending:
        return
    try:
        h = current_app.extensions.get("coedit")
        for payload in pending:
            if h is not None:
                h.schedule_changed(payload)
            else:
                emit_changed(payload, changed_room_of)
                emit_changed(payload, revs_room_of)
    except Exception:  # an emit must never undo or break a committed change
        log.exception("could not emit coedit changes")


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(services.PENDING_CHANGES, None)
