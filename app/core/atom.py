"""Atom 1.0 (RFC 4287) feeds built with ElementTree, so that every field is escaped."""

import re
from datetime import datetime
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all, even escaped: user text is stripped of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("", ATOM)


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


class AtomFeed:
    """One feed: create it with its own metadata, add entries newest first, then serialise."""

    def __init__(
        self,
        *,
        feed_id: str,
        title: str,
        updated: datetime,
        self_url: str,
        page_url: str,
        subtitle: str | None = None,
        author: str | None = None,
    ):
        self.root = ET.Element(f"{{{ATOM}}}feed")
        _add(self.root, "id", feed_id)
        _add(self.root, "title", title)
        if subtitle:
            _add(self.root, "subtitle", subtitle)
        _add(self.root, "updated", _iso(updated))
        _add(self.root, "link", rel="self", type="application/atom+xml", href=self_url)
        _add(self.root, "link", rel="alternate", type="text/html", href=page_url)
        if author:
            _add(_add(self.root, "author"), "name", author)
        _add(self.root, "generator", "Agora drafting platform")

    def add_entry(
        self,
        *,
        entry_id: str,
        title: str,
        link: str,
        updated: datetime,
        published: datetime | None = None,
        author: str | None = None,
        author_uri: str | None = None,
        summary: str | None = None,
        content_html: str | None = None,
    ) -> None:
        entry = _add(self.root, "entry")
        _add(entry, "id", entry_id)
        _add(entry, "title", title)
        _add(entry, "link", rel="alternate", type="text/html", href=link)
        if published is not None:
            _add(entry, "published", _iso(published))
        _add(entry, "updated", _iso(updated))
        if author:
            author_element = _add(entry, "author")
            _add(author_element, "name", author)
            if author_uri:
                _add(author_element, "uri", author_uri)
        if summary is not None:
            _add(entry, "summary", summary)
        if content_html is not None:
            _add(entry, "content", content_html, type="html")

    def to_bytes(self) -> bytes:
        return ET.tostring(self.root, encoding="utf-8", xml_declaration=True)
