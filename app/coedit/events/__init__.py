"""Socket.IO handlers of namespace /coedit: the server side of docs/coedit-protocol.md.

Clients (the browser editor, the Python client in tests/support, load generators) send `join`, `sync`,
`cursor` and `leave`; the server answers each through its ack and broadcasts `changed`
(coalesced per room, after the commit) and `presence` to the room of one (document, lang).
Permission is read from the database on every event, so a revoked membership, a revoked
token or a logout (session epoch) takes effect at the next event of an open connection.

- `hub`: per-process bookkeeping (engine, connections, presence, `changed` coalescing);
- `store`: the engine's TextStore over the database;
- `connection`: connect, origin check, credentials and edit permission;
- `payloads`: payload validation, the sync rate limit and `Refusal`;
- `channels`: join, leave, cursor and presence;
- `sync`: the sync event and its one-query fast path;
- `namespace`: the handlers and the mapping of every failure to an answer;
- `after_commit`: `changed` after commits made elsewhere.
"""

from app.coedit.events import after_commit  # noqa: F401  (connects the session listeners)
from app.coedit.events.hub import NAMESPACE, Hub, hub, room_of
from app.coedit.events.namespace import CoeditNamespace
from app.extensions import socketio

__all__ = ["NAMESPACE", "CoeditNamespace", "Hub", "hub", "init_app", "room_of"]


def init_app(app) -> None:
    """Attach the hub and the namespace to this app's Socket.IO server."""
    app.extensions["coedit"] = Hub(app)
    socketio.on_namespace(CoeditNamespace(NAMESPACE))
