from flask import Blueprint

bp = Blueprint("amendments", __name__)

# Routes and API must be attached before the factory registers the blueprints.
from app.amendments import api, feeds, hooks, proceedings, routes, services  # noqa: E402,F401
from app.amendments.templating import register  # noqa: E402


def init_app(app):
    register(app)
