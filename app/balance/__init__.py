"""Balance statistics: participation by stakeholder group and North/South, site-wide, per body
and per document. It counts the activity of the domains below it and only reads."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.balance.charts import balance_context
from app.balance.queries import body_balance
from app.bodies.hooks import body_context
from app.documents.hooks import document_tab

bp = Blueprint("balance", __name__)

from app.balance import api, routes  # noqa: E402,F401

document_tab("balance.document_balance_page", _l("Balance"), 80)


@body_context
def _body_balance(body) -> dict:
    return balance_context(body_balance(body))
