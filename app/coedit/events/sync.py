"""The `sync` event: a fast path deciding with one query, and the path that names refusals."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from app.accounts.services import TOKEN_PREFIX, TOKEN_USE_RESOLUTION, _token_hash
from app.coedit import queries
from app.coedit.events.connection import load_document, require_edit, user_of
from app.coedit.events.hub import Connection, Hub, Joined
from app.coedit.events.payloads import (
    Refusal,
    read_channel,
    read_edits,
    read_integer,
    read_payload,
)
from app.core.timeutil import utcnow
from app.documents.models import Document
from app.extensions import db


def engine_sync(
    h: Hub,
    joined: Joined,
    doc: str,
    lang: str,
    m: int,
    edits: list,
    user_id,
    rev_hint: int | None = None,
) -> dict:
    """Run the engine's sync (no read transaction open) and schedule `changed` if stored."""
    result = h.engine.sync(
        joined.client_id, joined.live_text_id, m, edits, author=user_id, rev_hint=rev_hint
    )
    if result.changed:
        h.schedule_changed({"doc": doc, "lang": lang, "rev": result.rev, "by": user_id})
    h.after_sync(doc, lang, joined, result.rev)
    return {"ok": True, "n": result.n, "edits": result.edits, "rev": result.rev}


def sync_fast(
    h: Hub, conn: Connection, joined: Joined, doc: str, lang: str, m: int, edits: list
) -> dict | None:
    """A sync of a joined channel with ONE query: credentials, permission and the stored rev.

    Same rules as the slow path (which names the reason of a refusal): None whenever this
    query cannot decide alone (credentials gone, token use to be noted, a refusal to explain).
    """
    if conn.token:
        if not conn.token.startswith(TOKEN_PREFIX) or len(conn.token) > 200:
            return None
        row = queries.sync_access(
            joined.document_id, joined.live_text_id, token_hash=_token_hash(conn.token)
        )
        if (
            row is None
            or row.last_used_at is None
            or utcnow() - row.last_used_at >= TOKEN_USE_RESOLUTION
        ):
            return None  # the slow path refuses, or notes the token's use
    elif conn.user_id is not None:
        if not current_user.is_authenticated or current_user.id != conn.user_id:
            return None
        row = queries.sync_access(joined.document_id, joined.live_text_id, user_id=conn.user_id)
    else:
        row = queries.sync_access(joined.document_id, joined.live_text_id)
    if row is None:
        return None
    if joined.mode == "follow":
        if edits:
            return None
    elif not ((conn.token or conn.user_id is not None) and (row.is_admin or row.editor)):
        return None
    user_id = row.user_id if (conn.token or conn.user_id is not None) else None
    rev = row.rev
    db.session.rollback()  # end the read transaction before the engine's own
    return engine_sync(h, joined, doc, lang, m, edits, user_id, rev_hint=rev)


def sync(h: Hub, data) -> dict:
    """sync {doc, lang, m, edits} -> {ok, n, edits, rev}; `changed` goes to the room after commit."""
    conn = h.connections.get(request.sid)
    if conn is None:
        raise Refusal("unauthenticated", "Connect again.")
    data = read_payload(data)
    doc, lang = read_channel(data)
    m = read_integer(data, "m")
    edits = read_edits(data)
    joined = conn.channels.get((doc, lang))
    if joined is not None:
        fast = sync_fast(h, conn, joined, doc, lang, m, edits)
        if fast is not None:
            return fast
    user = user_of(conn)
    if joined is None:
        document = load_document(doc)
        queries.check_language(document, lang)
        if edits:
            require_edit(user, document)
        raise Refusal("desync", "Join this document before syncing.")

    document = db.session.get(Document, joined.document_id)
    if document is None:
        raise Refusal("not_found", "This document no longer exists.")
    if joined.mode == "follow":
        if edits:
            raise Refusal("forbidden", "You joined as a follower: edits are refused.")
    else:
        require_edit(user, document)
    user_id = user.id if user is not None else None  # read before the rollback expires it
    db.session.commit()  # end the read transaction (keeping a token's use noted)
    return engine_sync(h, joined, doc, lang, m, edits, user_id)
