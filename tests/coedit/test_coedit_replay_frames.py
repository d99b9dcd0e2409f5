"""The replay shows each step of the live draft on the formatted text (server-rendered frames)."""

import pytest

from app.coedit.engine import diff_main, to_delta
from app.coedit.services import get_or_create_live_text, store_live_text_changes
from app.extensions import db
from tests.support.rendered import assert_formatted_changes

START = [
    "# Charter of the forum",
    "The *forum* is open to [every participant](https://example.org/all).",
]


@pytest.fixture
def edited(make_user, make_body, make_document):
    """A live draft with two logged edits after rev 0."""
    writer = make_user(name="Wren Writer")
    document = make_document(START, owner=make_body("Drafting team", members=[writer]))
    live = get_or_create_live_text(document, "en")
    db.session.commit()
    texts = [live.text]
    texts.append(texts[-1].replace("*forum*", "*whole forum*"))
    texts.append(texts[-1].replace("# Charter of the forum", "# Charter of the open forum"))
    changes = [
        (new, writer.id, to_delta(diff_main(old, new)))
        for old, new in zip(texts, texts[1:], strict=False)
    ]
    assert store_live_text_changes(live.id, 0, changes)
    db.session.commit()
    return document


def frame(client, document, first, last):
    return client.get(f"/documents/{document.slug}/live/replay/frame?from={first}&to={last}")


def test_a_step_shows_formatted_text_with_its_changes(client, edited):
    response = frame(client, edited, 0, 2)
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert_formatted_changes(f'<div class="frame">{html}</div>', "frame")
    assert '<em><ins class="diff-ins">whole </ins>forum</em>' in html
    assert '<h1>Charter of the <ins class="diff-ins">open </ins>forum</h1>' in html
    # one edit at a time, and from the empty text for the first one
    assert "diff-del" not in frame(client, edited, 1, 2).get_data(as_text=True)
    assert "<h1><ins" in frame(client, edited, -1, 0).get_data(as_text=True)


def test_steps_in_any_order_give_the_same_frames(client, edited):
    """Texts of earlier revs are cached; a step back or a jump reads the right text."""
    later = frame(client, edited, 1, 2).get_data(as_text=True)
    earlier = frame(client, edited, 0, 1).get_data(as_text=True)
    assert frame(client, edited, 1, 2).get_data(as_text=True) == later
    assert "whole" in earlier and "the open forum" not in earlier


def test_without_revisions_the_frame_is_the_latest_edit(client, edited):
    html = client.get(f"/documents/{edited.slug}/live/replay/frame").get_data(as_text=True)
    assert html == frame(client, edited, 1, 2).get_data(as_text=True)


def test_the_replay_page_links_its_frames(client, edited):
    html = client.get(f"/documents/{edited.slug}/live/replay").get_data(as_text=True)
    assert f'data-frame-url="/documents/{edited.slug}/live/replay/frame"' in html


@pytest.mark.parametrize(
    "query, status",
    [
        ("from=0&to=9", 404),
        ("from=2&to=1", 400),
        ("from=-2&to=1", 400),
        ("from=a&to=1", 400),
        ("from=5", 400),
        ("from=0&to=1&lang=xx", 404),
    ],
)
def test_bad_frame_requests_are_clear_errors(client, edited, query, status):
    response = client.get(f"/documents/{edited.slug}/live/replay/frame?{query}")
    assert response.status_code == status


def test_a_draft_nobody_edited_has_its_starting_frame(client, make_document):
    document = make_document(START, slug="untouched")
    html = frame(client, document, -1, 0).get_data(as_text=True)
    assert "<em><ins" in html and "<h1>" in html
    assert frame(client, document, 0, 1).status_code == 404


@pytest.mark.browser
def test_the_replay_shows_steps_on_the_formatted_text(live_server, page, edited):
    from playwright.sync_api import expect

    page.goto(f"{live_server}/documents/{edited.slug}/live/replay")
    text = page.locator("[data-text][data-rendered]")
    expect(text.locator("h1")).to_contain_text("Charter of the open forum")
    expect(text.locator("h1 ins")).to_have_text("open ")
    expect(text.locator("a[href='https://example.org/all']")).to_be_visible()
    assert "[every participant]" not in text.inner_text()
    page.get_by_role("button", name="First edit").click()
    expect(page.locator("[data-text][data-rendered] h1 ins")).to_have_text("Charter of the forum")
