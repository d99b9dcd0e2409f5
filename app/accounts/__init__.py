from flask import Blueprint

bp = Blueprint("accounts", __name__)

# Routes must be attached before the factory registers the blueprint.
from app.accounts import api, group_routes, routes  # noqa: E402,F401


def init_app(app):
    from app.accounts import cli
    from app.accounts.services import load_user_from_session
    from app.accounts.templating import register
    from app.extensions import login_manager

    login_manager.user_loader(load_user_from_session)
    register(app)
    app.cli.add_command(cli.users)
