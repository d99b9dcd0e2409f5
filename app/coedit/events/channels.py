"""Joining and leaving a channel's room, and presence (who is here, where their cursor is)."""

from __future__ import annotations

from flask import current_app, request
from flask_socketio import join_room, leave_room

from app.coedit import queries, services
from app.coedit.events.connection import load_document, require_edit, user_of
from app.coedit.events.hub import Hub, Joined, changed_room_of, revs_room_of, room_of
from app.coedit.events.payloads import (
    MODES,
    Refusal,
    read_channel,
    read_integer,
    read_payload,
    read_string,
)
from app.extensions import db


def peer(user, mode: str, offset: int = 0, end: int = 0) -> dict:
    """How a connection appears in `presence`."""
    return {
        "user": user.id if user is not None else None,
        "name": user.name if user is not None else "Observer",
        "group": user.group if user is not None else None,
        "mode": mode,
        "offset": offset,
        "end": end,
    }


def join(h: Hub, data) -> dict:
    """join {doc, lang, mode, client_id?, push?}: resume or start the client's state; enter the room.

    A `client_id` whose state is gone gets a fresh start and, for an editor, `applied`: its
    edits numbered below it reached the stored text (docs/coedit-protocol.md, `join`).
    With `push: true` the client is in push mode (the protocol's "Push mode"): an editor gets `edits`
    pushed, a follower one `revs` per window besides `changed` (a `changed` that no `revs`
    follows, a change stored by another process, makes it rejoin).
    """
    conn = h.connections.get(request.sid)
    if conn is None:
        raise Refusal("unauthenticated", "Connect again.")
    data = read_payload(data)
    doc, lang = read_channel(data)
    mode = data.get("mode", "edit")
    if mode not in MODES:
        raise Refusal("bad_request", "`mode` is edit or follow.")
    client_id = read_string(data, "client_id", 64, required=False)
    push = data.get("push", False)
    if not isinstance(push, bool):
        raise Refusal("bad_request", "`push` is true or false.")
    user = user_of(conn)
    document = load_document(doc)
    queries.check_language(document, lang)
    if mode == "edit":
        require_edit(user, document)
    live = services.get_or_create_live_text(document, lang)
    live_id, document_id = live.id, document.id
    db.session.commit()
    previous = conn.channels.get((doc, lang))
    if previous is not None and previous.client_id != client_id:
        h.engine.leave(previous.client_id)
    result = h.engine.join(
        live_id, user=user.id if user else None, mode=mode, client_id=client_id, push=push
    )
    joined = Joined(result.client_id, document_id, live_id, mode, push)
    conn.channels[(doc, lang)] = joined
    room = room_of(doc, lang)
    join_room(room)
    h.remove_push_client(room, request.sid)
    text, rev = result.text, result.rev
    if push and mode == "follow":
        leave_room(changed_room_of(doc, lang))
        join_room(revs_room_of(doc, lang))
        text, rev = h.add_push_client(
            room, doc, lang, request.sid, joined, (result.text, result.rev)
        )
    else:
        join_room(changed_room_of(doc, lang))
        leave_room(revs_room_of(doc, lang))
        if push:
            h.add_push_client(room, doc, lang, request.sid, joined, None)
    h.set_presence(room, request.sid, peer(user, mode))
    h.emit_presence(doc, lang)
    peers, observers = h.peers(room)
    return {
        "ok": True,
        "client_id": result.client_id,
        "text": text,
        "rev": rev,
        "n": result.n,
        "m": result.m,
        "peers": peers,
        "observers": observers,
        **({"push": True} if push else {}),
        **({"applied": result.applied} if result.applied is not None else {}),
    }


def cursor(h: Hub, data) -> dict:
    """cursor {doc, lang, offset, end}: update the connection's presence and broadcast it."""
    conn = h.connections.get(request.sid)
    data = read_payload(data)
    doc, lang = read_channel(data)
    if conn is None or (doc, lang) not in conn.channels:
        raise Refusal("bad_request", "Join this document first.")
    limit = current_app.config["COEDIT_MAX_TEXT"]
    offset = read_integer(data, "offset", maximum=limit)
    end = read_integer(data, "end", maximum=limit) if "end" in data else offset
    user = user_of(conn)
    room = room_of(doc, lang)
    h.set_presence(room, request.sid, peer(user, conn.channels[(doc, lang)].mode, offset, end))
    h.emit_presence(doc, lang)
    return {"ok": True}


def leave(h: Hub, data) -> dict:
    """leave {doc, lang}: end the client's state for the channel and leave its room."""
    conn = h.connections.get(request.sid)
    data = read_payload(data)
    doc, lang = read_channel(data)
    joined = conn.channels.pop((doc, lang), None) if conn else None
    if joined is not None:
        h.engine.leave(joined.client_id)
        room = room_of(doc, lang)
        leave_room(room)
        leave_room(changed_room_of(doc, lang))
        leave_room(revs_room_of(doc, lang))
        h.remove_push_client(room, request.sid)
        h.set_presence(room, request.sid, None)
        h.emit_presence(doc, lang)
    return {"ok": True}
