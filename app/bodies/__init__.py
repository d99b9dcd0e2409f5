from flask import Blueprint

from app.bodies.cli import bodies

bp = Blueprint("bodies", __name__)

from app.bodies import api, focal_points, routes, selection_routes  # noqa: E402,F401


def init_app(app):
    app.cli.add_command(bodies)
