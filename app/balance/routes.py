"""The balance pages: site-wide and per document (the body page shows its own through a hook)."""

from flask import render_template

from app.balance import bp
from app.balance.charts import balance_context
from app.balance.queries import document_balance, site_balance
from app.documents.hooks import TABS
from app.documents.queries import get_document


@bp.route("/balance")
def balance():
    return render_template("balance/balance.html", **balance_context(site_balance()))


@bp.route("/documents/<slug>/balance")
def document_balance_page(slug):
    document = get_document(slug)
    return render_template(
        "balance/document_balance.html",
        document=document,
        tabs=TABS,
        **balance_context(document_balance(document)),
    )
