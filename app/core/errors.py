"""Domain exceptions: services raise these with messages fit for users; views map them to HTTP."""


class DomainError(Exception):
    """A request that cannot be carried out; `code` and `status` tell views how to answer."""

    code = "bad_request"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, details: dict | None = None):
        super().__init__(message)
        self._message = message  # often a lazy translation: rendered in the reader's language
        if code:
            self.code = code
        self.details = details or {}

    @property
    def message(self) -> str:
        return str(self._message)

    @message.setter
    def message(self, value) -> None:
        self._message = value

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    code = "bad_request"
    status = 400


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class TooLarge(DomainError):
    code = "too_large"
    status = 413
