"""What a one-click unsubscribe stops: a list's mail, or the mail of one follow.

Lists are mail's own; other kinds of scope ("follow:<id>") belong to domains above mail,
which register a handler with `unsubscribe_handler(kind)`.
"""

from flask_babel import gettext as _

from app.mail.optouts import opt_out

# kind -> handler(user_id, ident: int) -> the sentence saying what stopped.
_HANDLERS: dict = {}


def unsubscribe_handler(kind: str):
    """Register the handler of the scopes "<kind>:<id>" (a decorator)."""

    def register(handler):
        _HANDLERS[kind] = handler
        return handler

    return register


def unsubscribe(user_id: int, scope: str) -> str:
    """Apply the unsubscribe and answer a sentence saying what stopped."""
    kind, _sep, ident = scope.partition(":")
    if kind == "list" and ident.isdigit():
        opt_out(user_id, scope)
        return _("You will no longer receive this list's mail. The archive stays open to you.")
    if kind in _HANDLERS and ident.isdigit():
        return _HANDLERS[kind](user_id, int(ident))
    return _("Nothing to unsubscribe from.")
