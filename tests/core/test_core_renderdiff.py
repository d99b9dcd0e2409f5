"""Diffs of rendered Markdown: formatted text with changes marked, never Markdown syntax."""

import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from app.core.markdown import render_markdown
from app.core.renderdiff import BLOCK_TAGS, html_diff, rendered_diff, rendered_diff_sides

VOID = {"br", "hr"}


class _Audit(HTMLParser):
    """Checks that tags nest, and collects the text a reader would see once marks are applied:
    deleted words dropped, insertions and formatting marks unwrapped, blocks as spaces."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text = [], [], []
        self.skip = 0  # depth inside a diff deletion or a hidden label

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag in VOID:
            if not self.skip:
                self.text.append(" ")
            return
        hidden = tag == "del" and "diff-del" in classes or "diff-format-label" in classes
        self.stack.append((tag, hidden))
        self.skip += hidden
        if tag in BLOCK_TAGS:
            self.text.append(" ")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        _, hidden = self.stack.pop()
        self.skip -= hidden
        if tag in BLOCK_TAGS:
            self.text.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def audit(html: str) -> _Audit:
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser


def visible(html: str) -> str:
    return " ".join("".join(audit(html).text).split())


def test_insertions_and_deletions_sit_inside_the_formatting():
    html = rendered_diff(
        "## Scope\n\nThe *forum* is open.",
        "## Scope\n\nThe *whole forum* is [open](https://e.org).",
    )
    assert "<h2>Scope</h2>" in html
    assert '<em><ins class="diff-ins">whole </ins>forum</em>' in html
    assert '<a href="https://e.org"' in html
    assert not re.search(r"[*#\[\]]", re.sub(r"<[^>]+>", "", html))


def test_a_formatting_change_alone_is_marked_as_such():
    html = rendered_diff("Make it bold.", "Make it **bold**.")
    assert '<strong><span class="diff-format"' in html
    assert "formatting changed" in html
    assert "diff-ins" not in html and "diff-del" not in html
    link = rendered_diff("[the text](https://a.org)", "[the text](https://b.org)")
    assert 'href="https://b.org"' in link and "diff-format" in link and "diff-del" not in link
    heading = rendered_diff("## Title", "### Title")
    assert heading.startswith("<h3>") and "diff-format" in heading


def test_sides_keep_each_text_formatted():
    left, right = rendered_diff_sides("An *old* word.", "A *new* word.")
    assert '<em><del class="diff-del">old</del></em>' in left and "diff-ins" not in left
    assert '<em><ins class="diff-ins">new</ins></em>' in right and "diff-del" not in right


def test_unbalanced_html_still_gives_balanced_output():
    html = html_diff("<p><em>one two</p></strong><li>three", "<p>one</em> <b>two</p><p>four")
    assert not audit(html).errors
    assert not audit(html).stack


def test_markup_in_the_text_stays_text():
    html = str(rendered_diff("a <script>x</script>", 'a <img src=x onerror="y()"> b'))
    assert "<script" not in html and "<img" not in html
    assert visible(html) == 'a <img src=x onerror="y()"> b'  # shown as text


MARKDOWN_PIECES = [
    "word",
    "other",
    "cat",
    " ",
    " ",
    "*",
    "**",
    "_",
    "`",
    "~~",
    "# ",
    "## ",
    "- ",
    "1. ",
    "> ",
    "\n",
    "\n\n",
    "[x](https://e.org)",
    "[y](https://f.org)",
    "<em>",
    "</p>",
    "&amp;",
    "  \n",
]
markdown = st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=30).map("".join)


@given(markdown, markdown)
def test_output_is_well_formed_and_reads_as_the_later_text(before, after):
    html = rendered_diff(before, after)
    result = audit(html)
    assert not result.errors and not result.stack
    # With deletions dropped and marks unwrapped, one reads the later text as rendered.
    assert visible(html) == visible(render_markdown(after))
    left, right = rendered_diff_sides(before, after)
    assert not audit(left).errors and not audit(right).errors
    assert visible(right) == visible(render_markdown(after))
