"""The search page, reached from the box in every page's header."""

from flask import redirect, render_template, request, url_for
from sqlalchemy import select

from app.accounts.models import STAKEHOLDER_GROUPS
from app.bodies.models import Body
from app.documents.models import Document
from app.extensions import db
from app.search import bp
from app.search.queries import KIND_LABELS, parse_criteria, search


@bp.route("/search")
def index():
    criteria = parse_criteria(request.args)
    return render_template(
        "search/index.html",
        criteria=criteria,
        results=search(criteria),
        kinds=KIND_LABELS,
        groups=STAKEHOLDER_GROUPS,
        documents=db.session.execute(
            select(Document.slug, Document.title).order_by(Document.title)
        ).all(),
        bodies=db.session.execute(select(Body.slug, Body.name).order_by(Body.name)).all(),
    )


@bp.route("/discussions/search")
def discussions():
    """The discussion archives' search: the same search, limited to posts, newest first."""
    arguments = {k: v for k, v in request.args.items() if k in ("q", "body", "document", "page")}
    return redirect(url_for("search.index", kind="post", order="recent", **arguments))
