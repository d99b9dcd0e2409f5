"""Interface languages: the six UN languages through Flask-Babel, chosen per person.

The interface language (menus, messages, dates) is separate from the content language
(`?lang=`, which translation of a document is shown); see the "Interface languages" contract.
"""

from flask import Blueprint

bp = Blueprint("i18n", __name__)

from app.i18n import routes  # noqa: E402,F401
from app.i18n.locale import init_babel  # noqa: E402


def init_app(app):
    init_babel(app)
