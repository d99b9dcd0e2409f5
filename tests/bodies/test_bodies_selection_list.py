"""The list of every body's selections, with its open / closed filter."""

from datetime import timedelta

import pytest

from app.bodies.models import CANCELLED, CLOSED, NOMINATION, VOTING, Selection
from app.core.timeutil import utcnow
from app.extensions import db


@pytest.fixture
def selections(app, make_body):
    now = utcnow()
    caucus = make_body("Gender caucus", kind="thematic_caucus", team_role=None)
    group = make_body("Finance working group", kind="working_group", team_role=None)
    rows = {}
    for body, title, status in (
        (caucus, "Caucus coordinators 2027", NOMINATION),
        (group, "Working group members", VOTING),
        (caucus, "Caucus coordinators 2025", CLOSED),
        (group, "Working group chairs", CANCELLED),
    ):
        rows[title] = Selection(
            body_id=body.id,
            title=title,
            seats=2,
            status=status,
            nomination_ends_at=now + timedelta(days=1),
            voting_starts_at=now + timedelta(days=2),
            voting_ends_at=now + timedelta(days=3),
        )
        db.session.add(rows[title])
    db.session.commit()
    return rows


OPEN = ("Caucus coordinators 2027", "Working group members")
OVER = ("Caucus coordinators 2025", "Working group chairs")


def test_lists_the_selections_of_every_body_with_their_body(client, selections):
    html = client.get("/selections").get_data(as_text=True)
    for title in OPEN + OVER:
        assert title in html
    assert "for the Gender caucus" in html and "for the Finance working group" in html
    link = f'href="/selections/{selections["Working group members"].id}"'
    assert link in html


@pytest.mark.parametrize(
    ("status", "shown", "hidden"), [("open", OPEN, OVER), ("closed", OVER, OPEN)]
)
def test_filter_by_open_or_closed(client, selections, status, shown, hidden):
    html = client.get(f"/selections?status={status}").get_data(as_text=True)
    for title in shown:
        assert title in html
    for title in hidden:
        assert title not in html
    assert f'href="/selections?status={status}" aria-current="page"' in html


def test_unknown_filter_is_a_clear_400(client, selections):
    response = client.get("/selections?status=someday")
    assert response.status_code == 400
    assert "status must be one of: open, closed." in response.get_data(as_text=True)


def test_signed_in_and_empty_list_and_link_from_the_bodies_page(client, login, make_user):
    login(client, make_user())
    html = client.get("/selections?status=open").get_data(as_text=True)
    assert "No selection is open." in html
    assert 'href="/selections"' in client.get("/bodies").get_data(as_text=True)


def test_the_header_marks_bodies_as_the_current_section(client, selections):
    html = client.get("/selections").get_data(as_text=True)
    assert '<a href="/bodies" aria-current="page">' in html


def test_a_teams_role_is_shown_in_words(client, make_body):
    team = make_body("Drafting team", kind="team", team_role="speaker_nomination")
    html = client.get(f"/bodies/{team.slug}").get_data(as_text=True)
    assert "Speaker nomination" in html
    assert "speaker_nomination" not in html.split("<main", 1)[1].split("</main>")[0]
