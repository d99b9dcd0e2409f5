"""The Atom feed (RFC 4287) of a document's versions, built with ElementTree so every field is escaped."""

import re
from xml.etree import ElementTree as ET

from flask import url_for

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _iso(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _summary(entry: dict) -> str:
    version = entry["version"]
    parts = [f"{version.cause_label}."]
    if version.message:
        message = version.message.strip()
        parts.append(message if message[-1:] in ".!?" else message + ".")
    counts = entry["counts"]
    if counts is None:
        parts.append(f"{entry['paragraphs']} paragraphs.")
    else:
        parts.append(
            f"{counts['modified']} paragraphs modified, {counts['inserted']} inserted, "
            f"{counts['deleted']} deleted, {counts['moved']} moved."
        )
    return " ".join(parts)


def atom_feed(document, entries: list[dict], *, self_url: str, page_url: str) -> bytes:
    """Serialise the feed; `entries` (newest first) hold version, counts, link, paragraphs."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", self_url)
    _sub(feed, "title", f"{document.title}: versions")
    _sub(feed, "subtitle", f"Every version of {document.title}, with links to what changed.")
    updated = entries[0]["version"].created_at if entries else document.created_at
    _sub(feed, "updated", _iso(updated))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    author = _sub(feed, "author")
    _sub(author, "name", document.owner.name if document.owner else "Agora drafting platform")
    _sub(feed, "generator", "Agora drafting platform")
    for item in entries:
        version = item["version"]
        entry = _sub(feed, "entry")
        _sub(entry, "id", url_for(
            "documents.version", slug=document.slug, number=version.number, _external=True
        ))
        title = f"{document.title} {version.label}"
        if version.message:
            title += f": {version.message[:120]}"
        _sub(entry, "title", title)
        _sub(entry, "updated", _iso(version.created_at))
        _sub(entry, "published", _iso(version.created_at))
        if version.author is not None:
            _sub(_sub(entry, "author"), "name", version.author.name)
        _sub(entry, "link", rel="alternate", type="text/html", href=item["link"])
        _sub(entry, "summary", _summary(item))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
