"""Property: a Word paragraph written back as Markdown reads as the same formatted text."""

from hypothesis import given
from hypothesis import strategies as st

from app.exports.blocks import (
    BULLET,
    HEADING,
    PARAGRAPH,
    Block,
    Run,
    merge_runs,
    parse_block,
    to_markdown,
)

WORDS = st.text(alphabet="abcXYZ éж中ع*_[]`#<>\\.-!", min_size=1, max_size=12)
RUNS = st.lists(
    st.builds(
        Run,
        text=WORDS,
        bold=st.booleans(),
        italic=st.booleans(),
        href=st.sampled_from([None, "https://example.org/a"]),
    ),
    min_size=1,
    max_size=5,
)


def _visible(block: Block) -> tuple:
    """What a reader sees, ignoring the spaces at the edges Markdown trims."""
    return (block.kind, block.level, block.text.strip())


@given(runs=RUNS, kind=st.sampled_from([PARAGRAPH, HEADING, BULLET]))
def test_markdown_from_word_keeps_the_words(runs, kind):
    # One space between runs, as words in a sentence; edge spaces are trimmed by Markdown.
    runs = [Run(r.text.strip() or "a", r.bold, r.italic, False, False, r.href) for r in runs]
    spaced = []
    for index, run in enumerate(runs):
        if index:
            spaced.append(Run(" "))
        spaced.append(run)
    block = Block(kind, 2 if kind == HEADING else 0, "", tuple(merge_runs(spaced)))
    again = parse_block(to_markdown(block))
    assert _visible(again) == _visible(block)
