"""Markdown rendering with an explicit HTML allow-list: user text never reaches a page unsanitised."""

import time
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

# Raw HTML in Markdown is disabled at the parser and stripped again by nh3.
_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)


def _image_as_link(renderer, tokens, idx, options, env):
    """Images become links to the image, named by their alt text.

    Embedding images from anywhere would let any participant track readers; a link keeps
    the reference and its description without loading anything.
    """
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env) or "image"
    src = escapeHtml(token.attrGet("src") or "")
    return f'<a href="{src}">[image: {escapeHtml(alt)}]</a>'


_md.add_render_rule("image", _image_as_link)

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


# Splitting needs the block structure only: skipping inline parsing keeps it linear and fast
# (emphasis-heavy text such as "*a **" repeated costs seconds to parse inline).
_md_blocks = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
    .disable("inline")
)


def parse_blocks(text: str):
    """Return markdown-it block tokens for `text` (inline tokens keep their source in
    `content`, without children); used to split documents into top-level blocks."""
    return _md_blocks.parse(text or "")


def parse_tokens(text: str):
    """Return markdown-it tokens for `text` with inline children (emphasis, links), for
    converting a paragraph into another format; callers bound the text's size."""
    return _md.parse(text or "")


def render_within(paragraphs: list[str], seconds: float, max_paragraph: int) -> str:
    """Render paragraphs until `seconds` have passed; the rest, and any paragraph longer than
    `max_paragraph`, are shown as escaped plain text, so that a preview's cost is bounded."""
    deadline = time.monotonic() + seconds
    parts = []
    for paragraph in paragraphs:
        if len(paragraph) > max_paragraph or time.monotonic() > deadline:
            parts.append(f'<p class="unrendered">{escapeHtml(paragraph)}</p>')
        else:
            parts.append(render_markdown(paragraph))
    return "\n".join(parts)
