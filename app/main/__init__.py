from flask import Blueprint
from werkzeug.routing import IntegerConverter

bp = Blueprint("main", __name__)

from app.main import routes  # noqa: E402,F401

# Identifiers and version numbers are 32-bit integer columns: a larger number in a URL names
# nothing, and SQLite cannot even bind one (OverflowError), so such URLs do not match (404).
MAX_URL_INT = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_URL_INT)
        super().__init__(map, *args, **kwargs)


def init_app(app):
    from app.main.cli import demo

    # Bound before the other domains register their routes (main is registered first).
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.cli.add_command(demo)
