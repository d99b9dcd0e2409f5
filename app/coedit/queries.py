"""Reads of live texts and their edit logs."""

import functools
import threading
from collections import OrderedDict

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, exists, func, literal, not_, or_, select
from sqlalchemy.orm import aliased

from app.accounts.models import ApiToken, User
from app.bodies.models import ACTIVE, COORDINATOR, Body, Membership
from app.coedit.engine import diff_main, from_delta, to_delta
from app.coedit.models import EditLog, LiveText
from app.core.errors import NotFound
from app.documents.models import Document
from app.extensions import db

# The most entries one read of the edit log returns (GET /api/documents/<slug>/live/log).
MAX_LOG_LIMIT = 1000


def check_language(document, lang: str | None) -> str:
    """The live text's language: today only the document's source language has one."""
    lang = lang or document.language
    if lang != document.language:
        raise NotFound(
            _l(
                "%(title)s has no live draft in %(lang)s.",
                title=repr(document.title),
                lang=repr(lang),
            )
        )
    return lang


def live_text_for(document, lang: str) -> LiveText | None:
    return db.session.scalar(
        select(LiveText).where(LiveText.document_id == document.id, LiveText.lang == lang)
    )


def initial_text(document) -> str:
    """What a live text starts from: the current version's Markdown."""
    return document.current_version.markdown if document.current_version else ""


def live_state(document, lang: str) -> tuple[str, int]:
    """The working draft's text and rev (rev 0, the current version, before anyone edits)."""
    row = db.session.execute(
        select(LiveText.text, LiveText.rev).where(
            LiveText.document_id == document.id, LiveText.lang == lang
        )
    ).first()
    return (row.text, row.rev) if row else (initial_text(document), 0)


def live_rev(live_text_id: int) -> int:
    """The stored rev alone: the cheap check before re-reading a whole text."""
    rev = db.session.scalar(select(LiveText.rev).where(LiveText.id == live_text_id))
    if rev is None:
        raise NotFound(_l("This live draft no longer exists."))
    return rev


def live_content(live_text_id: int) -> tuple[str, int]:
    row = db.session.execute(
        select(LiveText.text, LiveText.rev).where(LiveText.id == live_text_id)
    ).first()
    if row is None:
        raise NotFound(_l("This live draft no longer exists."))
    return row.text, row.rev


def sync_access(
    document_id: int,
    live_text_id: int,
    *,
    token_hash: str | None = None,
    user_id: int | None = None,
):
    """Everything a sync needs from the database, in ONE query, read now.

    Row (user_id, is_admin, last_used_at, editor, rev) for the token's owner (token_hash, an
    active token), a known user (user_id) or nobody; `editor`: the rule of
    app.documents.permissions.can_edit_live apart from is_admin (coordinator of the owning body;
    active member of the owning drafting team; or, when no drafting team owns the document,
    active member of any drafting team); `rev`: the live text's stored rev. None when the token,
    the document or the live text is gone (the caller then takes the slow path, which names the
    reason).
    """
    params = {"document_id": document_id, "live_text_id": live_text_id}
    if token_hash is not None:
        kind, params["token_hash"] = "token", token_hash
    elif user_id is not None:
        kind, params["user_id"] = "user", user_id
    else:
        kind = "anonymous"
    # A plain statement on the session's connection: no ORM entities to load, only a row.
    return db.session.connection().execute(_sync_access_statement(kind), params).first()


@functools.cache
def _sync_access_statement(kind: str):
    """The statement of sync_access for "token", "user" or "anonymous", built once (it runs on
    every sync: building and keying this expression anew cost more than running it)."""
    if kind == "token":
        who = (User.id, User.is_admin, ApiToken.last_used_at)
    elif kind == "user":
        who = (User.id, User.is_admin, literal(None))
    else:
        who = (literal(None), literal(False), literal(None))
    owner = aliased(Body, name="owner_body")
    # coalesce: NOT over a NULL (no owner, a team without a role) must still be true
    owner_drafts = and_(
        func.coalesce(owner.kind, "") == "team", func.coalesce(owner.team_role, "") == "drafting"
    )
    member_drafts = and_(Body.kind == "team", Body.team_role == "drafting")
    editor = (
        exists().where(
            Membership.user_id == who[0],
            Membership.status == ACTIVE,
            Body.id == Membership.body_id,
            or_(
                and_(
                    Membership.body_id == Document.owner_body_id,
                    or_(Membership.role == COORDINATOR, member_drafts),
                ),
                and_(member_drafts, not_(owner_drafts)),
            ),
        )
        if kind != "anonymous"
        else literal(False)
    )
    query = (
        select(
            who[0].label("user_id"),
            who[1].label("is_admin"),
            who[2].label("last_used_at"),
            editor.label("editor"),
            LiveText.rev,
        )
        .select_from(LiveText)
        .join(Document, Document.id == LiveText.document_id)
        .outerjoin(owner, owner.id == Document.owner_body_id)
        .where(LiveText.id == bindparam("live_text_id"), Document.id == bindparam("document_id"))
    )
    if kind == "token":
        query = (
            query.join(ApiToken, ApiToken.token_hash == bindparam("token_hash"))
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.revoked_at.is_(None))
        )
    elif kind == "user":
        query = query.join(User, User.id == bindparam("user_id"))
    return query


def edit_deltas(live_text_id: int, after: int, upto: int) -> list[tuple[int, str]]:
    """The logged deltas of revs after < rev <= upto, oldest first (for rebasing late edits)."""
    rows = db.session.execute(
        select(EditLog.rev, EditLog.delta)
        .where(EditLog.live_text_id == live_text_id, EditLog.rev > after, EditLog.rev <= upto)
        .order_by(EditLog.rev)
    ).all()
    return [(row.rev, row.delta) for row in rows]


def client_applied(live_text_id: int, client_id: str, user_id) -> int | None:
    """The highest client_n logged for a co-editing client's changes (by user_id), or None.

    One indexed read, asked only when a client rejoins with an id whose state is gone.
    """
    return db.session.scalar(
        select(func.max(EditLog.client_n)).where(
            EditLog.live_text_id == live_text_id,
            EditLog.client_id == client_id,
            EditLog.user_id == user_id,
        )
    )


def edit_log(document, lang: str, *, after: int = -1, limit: int = 500) -> list[dict]:
    """Log entries with rev > after, oldest first: replaying their deltas from "" gives the text."""
    live = live_text_for(document, lang)
    if live is None:
        text = initial_text(document)
        if after >= 0:
            return []
        return [
            {"rev": 0, "delta": to_delta(diff_main("", text)), "created_at": None, "user": None}
        ]
    rows = db.session.execute(
        select(EditLog.rev, EditLog.delta, EditLog.created_at, User.id, User.name, User.group)
        .outerjoin(User, User.id == EditLog.user_id)
        .where(EditLog.live_text_id == live.id, EditLog.rev > after)
        .order_by(EditLog.rev)
        .limit(limit)
    ).all()
    return [
        {
            "rev": row.rev,
            "delta": row.delta,
            "created_at": row.created_at.isoformat() if row.created_at else None,
            "user": {"id": row.id, "name": row.name, "group": row[5]}
            if row.id is not None
            else None,
        }
        for row in rows
    ]


# Texts at recent revs, so that stepping through a replay applies a few deltas, not the whole log.
# An entry counts only while the row it was built from is unchanged (ids are reused when a
# live text is deleted and another created).
_TEXT_CACHE: OrderedDict[tuple[int, int], tuple[tuple, str]] = OrderedDict()
_TEXT_CACHE_SIZE = 64
_TEXT_CACHE_LOCK = threading.Lock()


def text_at(document, lang: str, rev: int) -> str:
    """The live text as it was at `rev` (-1 is before the first edit: the empty text)."""
    if rev < 0:
        return ""
    live = live_text_for(document, lang)
    if live is None or rev > live.rev:
        if live is None and rev == 0:
            return initial_text(document)
        raise NotFound(_l("The live draft has no revision %(rev)s.", rev=rev))
    with _TEXT_CACHE_LOCK:
        cached = [(r, v) for (i, r), v in _TEXT_CACHE.items() if i == live.id and r <= rev]
    start, (fingerprint, text) = max(cached, default=(-1, (None, "")), key=lambda c: c[0])
    rows = db.session.execute(
        select(EditLog.rev, EditLog.delta, EditLog.created_at)
        .where(EditLog.live_text_id == live.id, EditLog.rev >= start, EditLog.rev <= rev)
        .order_by(EditLog.rev)
    ).all()
    if start >= 0 and (not rows or (rows[0].rev, rows[0].delta, rows[0].created_at) != fingerprint):
        start, text = -1, ""
        rows = db.session.execute(
            select(EditLog.rev, EditLog.delta, EditLog.created_at)
            .where(EditLog.live_text_id == live.id, EditLog.rev <= rev)
            .order_by(EditLog.rev)
        ).all()
    last = None
    for row in rows:
        if row.rev > start:
            text = from_delta(text, row.delta)[1]
        last = row
    if last is not None:
        with _TEXT_CACHE_LOCK:
            _TEXT_CACHE[(live.id, last.rev)] = ((last.rev, last.delta, last.created_at), text)
            _TEXT_CACHE.move_to_end((live.id, last.rev))
            while len(_TEXT_CACHE) > _TEXT_CACHE_SIZE:
                _TEXT_CACHE.popitem(last=False)
    return text
