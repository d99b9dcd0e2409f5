from flask import Blueprint

from app.core.routing import BoundedIntegerConverter
from app.main.cli import demo

bp = Blueprint("main", __name__)

from app.main import routes  # noqa: E402,F401


def init_app(app):
    # Bound before the other domains register their routes (main is registered first).
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.cli.add_command(demo)
