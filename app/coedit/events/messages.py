"""The refusal messages of /coedit in the socket user's interface language.

The engine words its refusals in English and knows nothing of requests; every refusal leaves
through Hub.refuse or refuse_connection, which pass the message through `localized` inside
the socket's request context (its cookie, profile or Accept-Language choose the language).
Codes are never translated: clients act on them.
"""

import re

from flask_babel import gettext

from app.i18n.locale import N_

# Messages without values: translated as they are.
FIXED = (
    N_("A follower cannot send edits."),
    N_("Connect again."),
    N_("Each edit is an object {n, delta}."),
    N_("Join this document before syncing."),
    N_("Join this document first."),
    N_("Log in to edit the working draft; anyone may follow it."),
    N_("No state for this client here (expired or server restarted): join again."),
    N_(
        "Only the drafting team, the owning body's coordinators and administrators edit this draft."
    ),
    N_("Text may not contain NUL or other control characters."),
    N_("The API token is no longer valid."),
    N_("The payload must be an object."),
    N_("The server could not process this event; join again."),
    N_("The text is changing too fast to store this edit; join again."),
    N_("This API token is not valid (revoked, expired or mistyped)."),
    N_("This document no longer exists."),
    N_("This site may not connect here."),
    N_("Too many connections: wait a moment."),
    N_("Too many unacknowledged pushed edits."),
    N_("Too many unacknowledged server edits."),
    N_("You have been logged out; log in again to edit."),
    N_("You joined as a follower: edits are refused."),
    N_("`delta` must be a string."),
    N_("`edits` must be a list."),
    N_("`mode` is edit or follow."),
    N_("`push` is true or false."),
    N_("auth must be {token}."),
)

# Messages with values: the English form, and the message the values go into.
PATTERNS = (
    (
        r"A delta has at most (?P<limit>\d+) characters\.",
        N_("A delta has at most %(limit)s characters."),
    ),
    (
        r"A live text has at most (?P<limit>\d+) characters\.",
        N_("A live text has at most %(limit)s characters."),
    ),
    (r"At most (?P<limit>\d+) edits per sync\.", N_("At most %(limit)s edits per sync.")),
    (
        r"The delta does not fit the shadow: (?P<detail>.*)",
        N_("The delta does not fit the shadow: %(detail)s"),
    ),
    (r"Undecodable delta: (?P<detail>.*)", N_("Undecodable delta: %(detail)s")),
    (
        r"Too many (?P<event>\w+) events: wait a moment\.",
        N_("Too many %(event)s events: wait a moment."),
    ),
    (
        r"`(?P<key>\w+)` must be a non-empty string of at most (?P<limit>\d+) characters\.",
        N_("`%(key)s` must be a non-empty string of at most %(limit)s characters."),
    ),
    (
        r"`(?P<key>\w+)` must be a non-negative integer\.",
        N_("`%(key)s` must be a non-negative integer."),
    ),
)
_COMPILED = [(re.compile(pattern, re.S), message) for pattern, message in PATTERNS]


def localized(message) -> str:
    """The refusal's message in the current interface language (lazy strings render here)."""
    if not isinstance(message, str):
        return str(message)
    for pattern, template in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            return gettext(template, **match.groupdict())
    return gettext(message)
