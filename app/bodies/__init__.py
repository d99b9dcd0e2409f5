from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("bodies", __name__)

from app.bodies import api, routes, selection_routes  # noqa: E402,F401
from app.documents.hooks import document_tab  # noqa: E402

document_tab("bodies.document_balance_page", _l("Balance"), 80)


def init_app(app):
    from app.bodies.cli import bodies

    app.cli.add_command(bodies)
