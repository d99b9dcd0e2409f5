"""JSON parsing that turns pathological nesting into a bad request instead of a crash.

The standard parser recurses once per level: 100,000 `[` raise RecursionError, which is no
ValueError, so Flask would answer 500 and Socket.IO would drop the packet without an answer.
"""

import json
import re

from flask.json.provider import DefaultJSONProvider

# Deeper than any document the app exchanges; far below Python's recursion limit.
MAX_DEPTH = 64
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class TooDeep(ValueError):
    """JSON nested deeper than MAX_DEPTH."""


def nesting_depth_exceeds(text: str | bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether `text` opens more than `limit` arrays or objects at once (strings skipped)."""
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8", "replace")
    if text.count("[") + text.count("{") <= limit:
        return False  # the common case: cannot be deep, no scan needed
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def loads(text, **kwargs):
    """json.loads that raises TooDeep (a ValueError) for documents nested too deeply."""
    if nesting_depth_exceeds(text):
        raise TooDeep(f"JSON nested more than {MAX_DEPTH} levels deep.")
    return json.loads(text, **kwargs)


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with a nesting limit on parsing (get_json answers 400)."""

    def loads(self, s, **kwargs):
        return loads(s, **kwargs)


# Socket.IO decodes `42/ns,id["event", payload]`: a payload too deep becomes this string, so
# the event's handler still runs and answers bad_request through its acknowledgement.
TOO_DEEP_PAYLOAD = "payload nested too deeply"
_EVENT_NAME = re.compile(r'\s*\[\s*"([A-Za-z0-9_-]{1,64})"')


class SocketJSON:
    """The json module given to Socket.IO: dumps as usual, loads with the nesting limit."""

    dumps = staticmethod(json.dumps)

    @staticmethod
    def loads(text, **kwargs):
        try:
            return loads(text, **kwargs)
        except TooDeep:
            if isinstance(text, bytes | bytearray):
                text = text.decode("utf-8", "replace")
            match = _EVENT_NAME.match(text)
            if match is None:
                raise
            return [match.group(1), TOO_DEEP_PAYLOAD]


def init_app(app) -> None:
    app.json = SafeJSONProvider(app)
