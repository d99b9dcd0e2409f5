"""The engine's refusal of a join or sync, carrying one of docs/coedit-protocol.md's error codes."""


class SyncError(Exception):
    """A refused join or sync; `code` is one of docs/coedit-protocol.md's error codes."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
