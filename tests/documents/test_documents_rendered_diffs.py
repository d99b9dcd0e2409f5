"""Version diff and paragraph history show changes on the formatted text, and fold what did not
change."""

import re

import pytest

from tests.support.rendered import assert_formatted_changes, region

BEFORE = [
    "# Charter of the forum",
    "The *forum* is open to [every participant](https://example.org/all).",
    "Make it bold.",
    "A paragraph that stays.",
]
AFTER = [
    "# Charter of the open forum",
    "The *whole forum* is open to [every participant](https://example.org/everyone).",
    "Make it **bold**.",
    "A paragraph that stays.",
]


@pytest.fixture
def charter(make_document, add_version):
    document = make_document(paragraphs=BEFORE, slug="charter")
    add_version(document, AFTER)
    return document


@pytest.mark.parametrize("mode", ["inline", "side"])
def test_version_diff_shows_formatted_text_with_changes(client, charter, mode):
    html = client.get(f"/documents/charter/diff?from=1&to=2&mode={mode}").get_data(as_text=True)
    assert_formatted_changes(html, "diff-para")
    assert '<ins class="diff-ins">open </ins>' in html
    assert "<em><ins" in html  # the insertion sits inside the emphasis
    assert '<a href="https://example.org/everyone"' in html


def test_formatting_only_change_is_marked_as_such(client, charter):
    html = client.get("/documents/charter/diff?from=1&to=2").get_data(as_text=True)
    assert re.search(r'<strong><span class="diff-format"[^>]*>.*?bold</span></strong>', html)
    assert "formatting changed" in html
    assert '<del class="diff-del">bold' not in html


def test_paragraph_history_shows_formatted_changes(client, charter):
    key = charter.versions[0].paragraphs[1].key
    html = client.get(f"/documents/charter/paragraphs/{key}").get_data(as_text=True)
    assert_formatted_changes(html, "diff-para", heading=None)
    heading_key = charter.versions[0].paragraphs[0].key
    html = client.get(f"/documents/charter/paragraphs/{heading_key}").get_data(as_text=True)
    assert "<h1>" in html and "# Charter" not in html


def _many(count):
    return [f"Unchanged paragraph number {n} of the text." for n in range(count)]


def test_unchanged_paragraphs_fold_into_one_row(client, make_document, add_version):
    paragraphs = ["First, to be changed.", *_many(51), "Last, to be changed."]
    document = make_document(paragraphs=paragraphs, slug="long")
    add_version(document, ["First, changed.", *_many(51), "Last, changed."])
    for mode in ("inline", "side"):
        html = client.get(f"/documents/long/diff?from=1&to=2&mode={mode}").get_data(as_text=True)
        folds = re.findall(r'<details class="diff-fold">', html)
        assert len(folds) == 1
        # one paragraph of context on each side of a change stays open
        assert "49 unchanged paragraphs" in html
        folded = region(html, "diff-fold")
        assert "Unchanged paragraph number 1 of" in "".join(folded.text)
        assert "Unchanged paragraph number 0 of" not in "".join(folded.text)
        assert html.count("data-change") == 2
        assert "data-diff-keys" in html


def test_comparing_a_version_with_itself_folds_everything(client, make_document):
    make_document(paragraphs=_many(51), slug="same")
    html = client.get("/documents/same/diff?from=1&to=1").get_data(as_text=True)
    assert html.count('<details class="diff-fold">') == 1
    assert "51 unchanged paragraphs" in html
    assert "data-change" not in html and "data-diff-keys" not in html
