"""Atom feeds of the archives, one per body and one per document."""

from flask import Response, url_for

from app.core.atom import AtomFeed
from app.core.markdown import render_markdown
from app.core.timeutil import utcnow
from app.discussion import bp, queries
from app.discussion.routes import _body
from app.documents.queries import get_document
from app.moderation.queries import hidden_reason

FEED_SIZE = 50


def atom_feed(*, title: str, page_url: str, feed_url: str, messages, updated) -> Response:
    """An Atom document of `messages`, newest first; message bodies as sanitised HTML."""
    feed = AtomFeed(
        feed_id=feed_url, title=title, updated=updated, self_url=feed_url, page_url=page_url
    )
    for message in messages:
        link = url_for("discussion.message", message_id=message.id, _external=True)
        name = message.author.name if message.author else "Former participant"
        if message.on_behalf_body is not None:
            name = f"{message.on_behalf_body.name} (posted by {name})"
        feed.add_entry(
            entry_id=link,
            title=("" if message.parent_id is None else "Re: ") + message.topic.title,
            link=link,
            published=message.created_at,
            updated=message.edited_at or message.created_at,
            author=name,
            author_uri=url_for("accounts.person", user_id=message.author.id, _external=True)
            if message.author is not None
            else None,
            content_html=_content_html(message),
        )
    return Response(feed.to_bytes(), mimetype="application/atom+xml")


def _content_html(message) -> str:
    """The post, or the moderator's placeholder where it was hidden."""
    from markupsafe import escape

    reason = hidden_reason("post", message.id)
    if reason is not None:
        return f"<p><em>Hidden by a moderator: {escape(reason)}</em></p>"
    return render_markdown(message.text)


def _feed(place_title: str, page_url: str, feed_url: str, **place):
    messages = queries.recent_messages(limit=FEED_SIZE, **place)
    updated = max((m.edited_at or m.created_at for m in messages), default=None)
    if updated is None:
        updated = utcnow()
    return atom_feed(
        title=f"Discussions: {place_title}",
        page_url=page_url,
        feed_url=feed_url,
        messages=messages,
        updated=updated,
    )


@bp.route("/bodies/<slug>/discussions.atom")
def body_feed(slug):
    body = _body(slug)
    return _feed(
        body.name,
        url_for("discussion.body_discussions", slug=slug, _external=True),
        url_for("discussion.body_feed", slug=slug, _external=True),
        body_id=body.id,
    )


@bp.route("/documents/<slug>/discussions.atom")
def document_feed(slug):
    document = get_document(slug)
    return _feed(
        document.title,
        url_for("discussion.document_discussions", slug=slug, _external=True),
        url_for("discussion.document_feed", slug=slug, _external=True),
        document_id=document.id,
    )
