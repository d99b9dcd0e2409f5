"""Checks shared by the tests of pages that show changes on the formatted text."""

import re
from html.parser import HTMLParser

# Markdown syntax a reader must not see around changed words.
MARKERS = re.compile(r"\*\w|\w\*|(^|\s)#{1,6}\s|\]\(|\[[^\]]*\]\(|`\w|__\w")


class _Region(HTMLParser):
    """The tags and the visible text inside elements with a given class (nested ones included)."""

    def __init__(self, css_class: str):
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.depth = 0
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if self.depth:
            self.depth += tag not in {"br", "hr"}
            self.tags.append((tag, found))
        elif self.css_class in (found.get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag not in {"br", "hr"}:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def region(html: str, css_class: str) -> _Region:
    parser = _Region(css_class)
    parser.feed(html)
    return parser


def assert_formatted_changes(html: str, css_class: str, *, heading: str | None = "h1") -> None:
    """Inside every `css_class` element: emphasis, links (and a heading) are real elements,
    changes are marked, and no Markdown syntax shows in the text."""
    found = region(html, css_class)
    tags = {tag for tag, _ in found.tags}
    assert "em" in tags, tags
    assert "a" in tags, tags
    if heading:
        assert heading in tags, tags
    assert tags & {"ins", "del"}, tags
    text = "".join(found.text)
    assert not MARKERS.search(text), MARKERS.search(text)
