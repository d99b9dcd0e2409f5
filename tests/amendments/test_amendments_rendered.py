"""Amendments show their tracked changes on the formatted text; the compilation folds the
paragraphs nobody amends."""

import re

import pytest

from app.amendments import services
from app.extensions import db
from tests.support.rendered import assert_formatted_changes, region

PARAGRAPHS = [
    "## Access to information",
    "The parties shall *ensure* access to [the record](https://example.org/record).",
    *[f"Paragraph {n} that nobody amends." for n in range(10)],
]


@pytest.fixture
def amended(world, make_document):
    document = make_document(PARAGRAPHS, owner=world.owner, slug="formatted")
    keys = [p.key for p in document.current_version.paragraphs]

    def propose(kind, index, text=""):
        args = {"paragraph": keys[index]} if kind != "insert" else {"after": keys[index]}
        amendment = services.propose_amendment(
            document, world.proposer, kind=kind, text=text, rationale="Clearer.", **args
        )
        db.session.commit()
        return amendment

    modify = propose(
        "modify",
        1,
        "The parties shall *fully ensure* access to [the public record](https://example.org/all).",
    )
    heading = propose("modify", 0, "## Access to **information**")
    insert = propose("insert", 1, "A *new* paragraph with [a link](https://example.org/new).")
    return document, keys, modify, heading, insert


def test_amendment_page_shows_tracked_changes_on_formatted_text(client, amended):
    _, _, modify, heading, insert = amended
    html = client.get(f"/amendments/{modify.id}").get_data(as_text=True)
    assert_formatted_changes(html, "tracked", heading=None)
    assert '<em><ins class="diff-ins">fully </ins>ensure</em>' in html
    html = client.get(f"/amendments/{heading.id}").get_data(as_text=True)
    found = region(html, "tracked")
    assert "h2" in {tag for tag, _ in found.tags}
    assert "formatting changed" in "".join(found.text)  # made bold: a formatting change
    assert "##" not in "".join(found.text) and "**" not in "".join(found.text)
    html = client.get(f"/amendments/{insert.id}").get_data(as_text=True)
    assert '<em><ins class="diff-ins">new</ins></em>' in html


def test_paragraph_amendments_page_shows_formatted_changes(client, amended):
    document, keys, *_ = amended
    html = client.get(f"/documents/{document.slug}/paragraphs/{keys[1]}/amendments").get_data(
        as_text=True
    )
    assert_formatted_changes(html, "tracked", heading=None)


def test_compilation_shows_formatted_changes_and_folds_quiet_paragraphs(client, amended):
    document, *_ = amended
    html = client.get(f"/documents/{document.slug}/compilation").get_data(as_text=True)
    assert_formatted_changes(html, "tracked", heading="h2")
    folds = re.findall(r'<details class="compilation-fold diff-fold">', html)
    assert len(folds) == 1
    assert "9 paragraphs without amendments" in html  # one of context after the amended ones
    assert "Paragraph 9 that nobody amends." in "".join(region(html, "diff-fold").text)
    assert re.search(r"dist/print-\w+\.js", html)  # opens the folds for printing
