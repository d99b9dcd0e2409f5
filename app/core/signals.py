"""Signals by which domains learn of each other's changes without reaching into each other."""

from blinker import Namespace

_signals = Namespace()

# sender: the Document; kwargs: version (new Version), previous (the Version before, or None).
# Sent inside the transaction, after flush: receivers change data, never commit or emit.
version_created = _signals.signal("version-created")
