"""The document page's heading is the document's title, whatever the text starts with."""

import re

import pytest


def _headings(html: str) -> list[tuple[str, str]]:
    return [
        (level, re.sub(r"<[^>]+>", "", text).strip())
        for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, flags=re.S)
    ]


@pytest.mark.parametrize("signed_in", [False, True])
def test_title_is_the_one_h1_when_the_text_starts_with_a_section(
    client, login, make_user, make_document, signed_in
):
    make_document(
        title="Implementation position of civil society",
        slug="position",
        paragraphs=["## Preamble", "We take part as equals.", "### Annex", "Dates."],
    )
    if signed_in:
        login(client, make_user())
    html = client.get("/documents/position").get_data(as_text=True)
    headings = _headings(html)
    assert [text for level, text in headings if level == "1"] == [
        "Implementation position of civil society"
    ]
    # The text's own headings come below the title in the outline, one level down.
    assert ("3", "Preamble") in headings and ("4", "Annex") in headings
    assert "<title>Implementation position of civil society ·" in html


def test_a_text_opening_with_its_title_keeps_one_h1(client, make_document):
    make_document(slug="equal", paragraphs=["# Equal footing", "All groups draft as equals."])
    headings = _headings(client.get("/documents/equal").get_data(as_text=True))
    assert [text for level, text in headings if level == "1"] == ["Equal footing"]
    assert ("2", "Equal footing") in headings  # the text's first paragraph, kept and numbered


def test_an_old_version_has_the_title_as_heading_too(client, make_document, add_version):
    document = make_document(slug="versions", paragraphs=["## Scope", "First text."])
    add_version(document, ["## Scope", "Second text."])
    headings = _headings(client.get("/documents/versions/versions/1").get_data(as_text=True))
    assert [text for level, text in headings if level == "1"] == [document.title]
