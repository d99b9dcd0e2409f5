from flask import Blueprint

bp = Blueprint("main", __name__)

from app.main import routes  # noqa: E402,F401


def init_app(app):
    from app.main.cli import demo

    app.cli.add_command(demo)
