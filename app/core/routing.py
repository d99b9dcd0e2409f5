"""URL converters shared by every domain's routes."""

from werkzeug.routing import IntegerConverter

# Identifiers and version numbers are 32-bit integer columns: a larger number in a URL names
# nothing, and SQLite cannot even bind one (OverflowError), so such URLs do not match (404).
MAX_URL_INT = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """Numbers past MAX_URL_INT become 0, which names nothing: the view answers 404.

    (Refusing them in the converter made werkzeug answer 405 for some methods, since the
    refused rule still counted as a match for the others.)
    """

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= MAX_URL_INT else 0
