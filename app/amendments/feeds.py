"""The Atom feed of a document's amendment decisions, each with its public reason."""

from flask import Response, url_for
from sqlalchemy import select

from app.amendments import bp
from app.amendments.models import Amendment, attribution
from app.core.atom import AtomFeed
from app.core.markdown import render_markdown
from app.documents.queries import get_document
from app.extensions import db

FEED_SIZE = 50
DECISION_WORDS = {
    "accepted": "accepted",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
    "superseded": "superseded",
    "conflict": "sent back for a rebase",
}


def recent_decisions(document, limit: int = FEED_SIZE) -> list[Amendment]:
    return list(
        db.session.scalars(
            select(Amendment)
            .where(Amendment.document_id == document.id, Amendment.decided_at.is_not(None))
            .order_by(Amendment.decided_at.desc(), Amendment.id.desc())
            .limit(limit)
        )
    )


@bp.route("/documents/<slug>/decisions.atom")
def decisions_feed(slug):
    document = get_document(slug)
    decisions = recent_decisions(document)
    feed_url = url_for("amendments.decisions_feed", slug=slug, _external=True)
    feed = AtomFeed(
        feed_id=feed_url,
        title=f"{document.title}: decisions on amendments",
        subtitle="Every decision on an amendment, with the reason given for it.",
        updated=decisions[0].decided_at if decisions else document.created_at,
        self_url=feed_url,
        page_url=url_for("amendments.index", slug=slug, status="all", _external=True),
    )
    for amendment in decisions:
        link = url_for("amendments.show", amendment_id=amendment.id, _external=True)
        verb = DECISION_WORDS.get(amendment.status, amendment.status)
        reason = amendment.decision_reason or ""
        feed.add_entry(
            entry_id=f"{link}#decision-{amendment.decided_at.isoformat()}",
            title=f"Amendment #{amendment.id} by {attribution(amendment)} {verb}",
            link=link,
            updated=amendment.decided_at,
            published=amendment.decided_at,
            author=amendment.decided_by.name if amendment.decided_by else None,
            content_html=render_markdown(f"**Reason:** {reason}" if reason else verb.capitalize()),
        )
    return Response(feed.to_bytes(), mimetype="application/atom+xml")
