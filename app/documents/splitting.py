"""Split Markdown into the paragraphs of a document.

One paragraph per top-level Markdown block: a heading is a paragraph of its own; a
paragraph of text, a block quote, a table, a code block or a thematic break is one
paragraph; a list is split into its top-level items, each its own paragraph that keeps
its marker (`- ` or `3. `), so that every item can be amended, numbered and linked on
its own. Nested lists stay inside their item.
"""

from app.core.markdown import parse_blocks

_LIST_OPEN = {"bullet_list_open", "ordered_list_open"}
_LIST_CLOSE = {"bullet_list_close", "ordered_list_close"}


def split_paragraphs(markdown: str) -> list[str]:
    """Return the top-level blocks of `markdown` as Markdown source, without blank lines around."""
    text = (markdown or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    blocks: list[str] = []
    list_depth = 0
    for token in parse_blocks(text):
        if token.type in _LIST_OPEN:
            list_depth += 1
            continue
        if token.type in _LIST_CLOSE:
            list_depth -= 1
            continue
        top_level_block = token.level == 0 and token.nesting != -1
        top_level_item = token.type == "list_item_open" and token.level == 1 and list_depth == 1
        if token.map and (top_level_block or top_level_item):
            start, end = token.map
            block = "\n".join(lines[start:end]).strip("\n")
            if block.strip():
                blocks.append(block)
    return blocks


def title_of(markdown: str) -> str | None:
    """The text of the first heading, if the document has one."""
    tokens = parse_blocks(markdown)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            return tokens[index + 1].content.strip() or None
    return None
