"""Atom feeds of the archives, one per body and one per document."""

from xml.etree import ElementTree as ET

from flask import Response, url_for

from app.core.markdown import render_markdown
from app.discussion import bp, queries
from app.discussion.routes import _body
from app.documents.services import get_document

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def _iso(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def atom_feed(*, title: str, page_url: str, feed_url: str, messages, updated) -> Response:
    """An Atom 1.0 document of `messages`, newest first; message bodies as sanitised HTML."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", feed_url)
    _add(feed, "title", title)
    _add(feed, "updated", _iso(updated))
    _add(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    _add(feed, "link", rel="alternate", href=page_url, type="text/html")
    _add(feed, "generator", "Agora drafting platform")
    for message in messages:
        entry = _add(feed, "entry")
        link = url_for("discussion.message", message_id=message.id, _external=True)
        _add(entry, "id", link)
        prefix = "" if message.parent_id is None else "Re: "
        _add(entry, "title", prefix + message.topic.title)
        _add(entry, "link", rel="alternate", href=link, type="text/html")
        _add(entry, "published", _iso(message.created_at))
        _add(entry, "updated", _iso(message.edited_at or message.created_at))
        author = _add(entry, "author")
        name = message.author.name if message.author else "Former participant"
        if message.on_behalf_body is not None:
            name = f"{message.on_behalf_body.name} (posted by {name})"
        _add(author, "name", name)
        if message.author is not None:
            _add(author, "uri", url_for("accounts.person", user_id=message.author.id, _external=True))
        _add(entry, "content", render_markdown(message.text), type="html")
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body,
                    mimetype="application/atom+xml")


def _feed(place_title: str, page_url: str, feed_url: str, **place):
    messages = queries.recent_messages(limit=FEED_SIZE, **place)
    updated = max((m.edited_at or m.created_at for m in messages), default=None)
    if updated is None:
        from app.core.timeutil import utcnow

        updated = utcnow()
    return atom_feed(title=f"Discussions: {place_title}", page_url=page_url, feed_url=feed_url,
                     messages=messages, updated=updated)


@bp.route("/bodies/<slug>/discussions.atom")
def body_feed(slug):
    body = _body(slug)
    return _feed(
        body.name, url_for("discussion.body_discussions", slug=slug, _external=True),
        url_for("discussion.body_feed", slug=slug, _external=True), body_id=body.id,
    )


@bp.route("/documents/<slug>/discussions.atom")
def document_feed(slug):
    document = get_document(slug)
    return _feed(
        document.title, url_for("discussion.document_discussions", slug=slug, _external=True),
        url_for("discussion.document_feed", slug=slug, _external=True), document_id=document.id,
    )
