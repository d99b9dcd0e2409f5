from flask import Blueprint

from app.extensions import login_manager

bp = Blueprint("accounts", __name__)

# Routes must be attached before the factory registers the blueprint.
from app.accounts import api, cli, group_routes, routes  # noqa: E402,F401
from app.accounts.services import load_user_from_session  # noqa: E402
from app.accounts.templating import register  # noqa: E402


def init_app(app):
    login_manager.user_loader(load_user_from_session)
    register(app)
    app.cli.add_command(cli.users)
