"""Splitting Markdown into paragraphs: one per top-level block, list items on their own."""

from app.documents.splitting import split_paragraphs, title_of


def test_headings_and_text_are_paragraphs_of_their_own():
    markdown = "# Title\n\nFirst paragraph\ncontinues here.\n\n## Section\n\nSecond."
    assert split_paragraphs(markdown) == [
        "# Title",
        "First paragraph\ncontinues here.",
        "## Section",
        "Second.",
    ]


def test_setext_heading_is_one_paragraph():
    assert split_paragraphs("Title\n=====\n\nText.") == ["Title\n=====", "Text."]


def test_list_items_are_split_and_keep_their_marker():
    markdown = "Intro.\n\n- one\n- two\n  - nested\n- three\n\n3. third\n4. fourth"
    assert split_paragraphs(markdown) == [
        "Intro.",
        "- one",
        "- two\n  - nested",
        "- three",
        "3. third",
        "4. fourth",
    ]


def test_multi_paragraph_list_item_stays_together():
    markdown = "- first item\n\n  still the first item\n- second item"
    assert split_paragraphs(markdown) == ["- first item\n\n  still the first item", "- second item"]


def test_fenced_code_with_blank_lines_is_one_paragraph():
    markdown = "Before.\n\n```python\nx = 1\n\ny = 2\n```\n\nAfter."
    assert split_paragraphs(markdown) == ["Before.", "```python\nx = 1\n\ny = 2\n```", "After."]


def test_block_quote_is_one_paragraph():
    markdown = "> quoted line one\n>\n> quoted line two\n\nAfter."
    assert split_paragraphs(markdown) == ["> quoted line one\n>\n> quoted line two", "After."]


def test_table_and_thematic_break():
    markdown = "| a | b |\n| - | - |\n| 1 | 2 |\n\n---\n\nEnd."
    assert split_paragraphs(markdown) == ["| a | b |\n| - | - |\n| 1 | 2 |", "---", "End."]


def test_windows_line_endings_and_blank_input():
    assert split_paragraphs("One.\r\n\r\nTwo.\r\n") == ["One.", "Two."]
    assert split_paragraphs("") == []
    assert split_paragraphs("   \n\n \n") == []


def test_title_is_the_first_heading():
    assert title_of("Intro.\n\n## Real *title*\n\n# Later") == "Real *title*"
    assert title_of("No heading here.") is None
