"""Diffs of rendered Markdown: what readers see, with insertions, deletions and formatting changes.

Both sides go through the site's Markdown renderer and sanitizer. The HTML is cut into words,
each carrying the elements around it (blocks such as paragraphs and list items, and inline
formatting such as emphasis and links). The words are compared with diff-match-patch, as
`textdiff` does for plain text; a word kept on both sides whose surrounding formatting differs
(made bold, link target changed, paragraph turned into a heading) is a formatting change, not a
deletion and an insertion. The result is rebuilt as HTML with <ins>, <del> and
<span class="diff-format"> inside the formatting, tags balanced by construction, and sanitized
again before it reaches a page.
"""

from bisect import bisect_left
from html import escape
from html.parser import HTMLParser
from typing import NamedTuple

import nh3
from flask_babel import gettext as _
from markupsafe import Markup

from app.core.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    render_markdown,
)
from app.core.textdiff import token_diff, words

BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
VOID_TAGS = frozenset({"br", "hr"})
# Blocks that hold other blocks: text directly inside them is layout whitespace.
CONTAINER_TAGS = frozenset({"ul", "ol", "blockquote", "table", "thead", "tbody", "tr"})

EQUAL, INSERT, DELETE, FORMAT = "equal", "insert", "delete", "format"
_BOUNDARY = "\x00block"  # what a block's start compares as: blocks align, their type is formatting
RULE_TEXT = "\u2015\u2015\u2015"  # a deleted horizontal rule inside a paragraph

_OUT_TAGS = ALLOWED_TAGS | {"span"}
_OUT_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "ins": {"class"},
    "del": {"class"},
    "span": {"class", "title"},
}


class _Element(NamedTuple):
    tag: str
    attrs: tuple[tuple[str, str], ...]
    uid: tuple[str, int] | None  # blocks are told apart one by one; inline formatting by kind


class _Token(NamedTuple):
    key: str  # what the diff compares
    text: str  # what is written out ("" for block starts)
    path: tuple[_Element, ...]  # from the outermost block to the text's parent
    void: str | None = None  # "br" or "hr"

    @property
    def formatting(self) -> tuple:
        return tuple((element.tag, element.attrs) for element in self.path)


class _Tokenizer(HTMLParser):
    """HTML to words with their elements; stray or missing end tags cannot unbalance anything."""

    def __init__(self, side: str):
        super().__init__(convert_charrefs=True)
        self.side = side
        self.stack: list[_Element] = []
        self.tokens: list[_Token] = []
        self.blocks = 0

    def handle_starttag(self, tag, attrs):
        attrs = tuple(sorted((name, value or "") for name, value in attrs if name != "rel"))
        if tag in VOID_TAGS:
            self.tokens.append(_Token(f"\x00{tag}", "", tuple(self.stack), tag))
            return
        uid = None
        if tag in BLOCK_TAGS:
            self.blocks += 1
            uid = (self.side, self.blocks)
        self.stack.append(_Element(tag, attrs, uid))
        if uid is not None:
            self.tokens.append(_Token(_BOUNDARY, "", tuple(self.stack)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if data.isspace() and (not self.stack or self.stack[-1].tag in CONTAINER_TAGS):
            return
        path = tuple(self.stack)
        self.tokens.extend(_Token(word, word, path) for word in words(data))


def _tokens(html: str, side: str) -> list[_Token]:
    parser = _Tokenizer(side)
    parser.feed(html)
    parser.close()
    return parser.tokens


class _Op(NamedTuple):
    kind: str
    before: _Token | None
    after: _Token | None


def _ops(before_html: str, after_html: str) -> list[_Op]:
    """Token-level operations between two rendered texts, formatting changes told apart."""
    a, b = _tokens(before_html, "a"), _tokens(after_html, "b")
    ops: list[_Op] = []
    i = j = 0
    for op, count in token_diff([t.key for t in a], [t.key for t in b]):
        if op == 0:
            for ta, tb in zip(a[i : i + count], b[j : j + count], strict=True):
                same = ta.formatting == tb.formatting
                ops.append(_Op(EQUAL if same else FORMAT, ta, tb))
            i, j = i + count, j + count
        elif op < 0:
            ops.extend(_Op(DELETE, t, None) for t in a[i : i + count])
            i += count
        else:
            ops.extend(_Op(INSERT, None, t) for t in b[j : j + count])
            j += count
    return ops


def _open_tag(element: _Element) -> str:
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in element.attrs)
    return f"<{element.tag}{attrs}>"


_MARKS = {INSERT: '<ins class="diff-ins">', DELETE: '<del class="diff-del">'}
_MARK_ENDS = {INSERT: "</ins>", DELETE: "</del>", FORMAT: "</span>"}


def _emit(items: list[tuple[str, _Token, tuple[_Element, ...]]]) -> str:
    """Write (kind, token, path) items as HTML: elements opened and closed as paths change."""
    label = escape(_("formatting changed"))
    out: list[str] = []
    stack: list[_Element] = []
    mark: str | None = None
    previous_kind: str | None = None
    for kind, token, path in items:
        if list(path) != stack:
            if mark:
                out.append(_MARK_ENDS[mark])
                mark = None
            common = 0
            while common < min(len(stack), len(path)) and stack[common] == path[common]:
                common += 1
            out.extend(f"</{element.tag}>" for element in reversed(stack[common:]))
            out.extend(_open_tag(element) for element in path[common:])
            stack = list(path)
        if token.key == _BOUNDARY:
            continue
        wanted = None if kind == EQUAL else kind
        if wanted != mark:
            if mark:
                out.append(_MARK_ENDS[mark])
            if wanted == FORMAT:
                out.append(f'<span class="diff-format" title="{label}">')
                if previous_kind != FORMAT:
                    out.append(f'<span class="diff-format-label visually-hidden">{label}: </span>')
            elif wanted:
                out.append(_MARKS[wanted])
            mark = wanted
        previous_kind = kind
        out.append(f"<{token.void}>" if token.void else escape(token.text, quote=False))
    if mark:
        out.append(_MARK_ENDS[mark])
    out.extend(f"</{element.tag}>" for element in reversed(stack))
    return "".join(out)


def _sanitize(html: str) -> Markup:
    return Markup(  # noqa: S704  (cleaned against the allow-list just here)
        nh3.clean(
            html,
            tags=_OUT_TAGS,
            attributes=_OUT_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )


def _blocks(path: tuple[_Element, ...]) -> tuple[_Element, ...]:
    return tuple(element for element in path if element.uid)


def _inline_items(ops: list[_Op]):
    """One sequence for both sides. A deleted word goes into the block of the later text around
    it: the block its neighbours share, else the one that took the kept words of its own
    earlier block, else a block of its own (a deleted paragraph)."""
    after_at = [index for index, op in enumerate(ops) if op.after is not None]
    shared_at = [index for index, op in enumerate(ops) if op.before and op.after]

    def around(positions, index):
        at = bisect_left(positions, index)
        return (
            ops[positions[at - 1]] if at else None,
            ops[positions[at]] if at < len(positions) else None,
        )

    for index, op in enumerate(ops):
        if op.after is not None:
            yield op.kind, op.after, op.after.path
            continue
        own = _blocks(op.before.path)
        inline = op.before.path[len(own) :]
        home = own
        before_op, after_op = around(after_at, index)
        if (
            before_op
            and after_op
            and (_blocks(before_op.after.path)[-1:] == _blocks(after_op.after.path)[-1:])
        ):
            home = _blocks(before_op.after.path)
        else:
            for neighbour in around(shared_at, index):
                if neighbour and own and _blocks(neighbour.before.path)[-1:] == own[-1:]:
                    home = _blocks(neighbour.after.path)
                    break
        token = op.before
        if token.void == "hr" and home:
            # A rule cannot stand inside a block: a removed one inside a paragraph shows as a line.
            token = token._replace(void=None, text=RULE_TEXT)
        yield op.kind, token, home + inline


def html_diff(before_html: str, after_html: str) -> Markup:
    """One column from two HTML texts: the later one, with deletions, insertions and formatting
    changes marked; any HTML is accepted (unbalanced tags included) and the result is sanitized."""
    return _sanitize(_emit(list(_inline_items(_ops(before_html, after_html)))))


def rendered_diff(before: str | None, after: str | None) -> Markup:
    """One column: the later Markdown text formatted, with deletions, insertions and formatting
    changes marked."""
    return html_diff(render_markdown(before or ""), render_markdown(after or ""))


def rendered_diff_sides(before: str | None, after: str | None) -> tuple[Markup, Markup]:
    """Two columns: the earlier text with deletions, the later one with insertions; both show
    formatting changes."""
    ops = _ops(render_markdown(before or ""), render_markdown(after or ""))
    left = [(op.kind, op.before, op.before.path) for op in ops if op.before is not None]
    right = [(op.kind, op.after, op.after.path) for op in ops if op.after is not None]
    return _sanitize(_emit(left)), _sanitize(_emit(right))
