"""Markdown rendering with an explicit HTML allow-list: user text never reaches a page unsanitised."""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

# Raw HTML in Markdown is disabled at the parser and stripped again by nh3.
_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
    "ins",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
# http(s) and mailto only: javascript:, data: and vbscript: never survive.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    """Clean HTML against the allow-list; links get rel=noopener noreferrer nofollow."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """Render user Markdown to sanitised HTML (cached: paragraphs repeat across versions)."""
    return sanitize_html(_md.render(text or ""))


def parse_blocks(text: str):
    """Return markdown-it tokens for `text`; used to split documents into top-level blocks."""
    return _md.parse(text or "")
