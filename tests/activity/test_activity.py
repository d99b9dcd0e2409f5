"""My activity: the signed-in person's amendments, positions, comments, posts and follows."""

import pytest

from app.extensions import db


@pytest.fixture
def world(app, make_user, make_document, make_body):
    """Two people who each propose, take a position, comment, post and follow."""
    from app.amendments.proceedings import add_comment
    from app.amendments.services import propose_amendment, set_position
    from app.discussion.services import start_topic
    from app.notifications.services import follow

    me = make_user(name="Amina Me", group="civil_society")
    other = make_user(name="Oscar Other", group="government")
    document = make_document(slug="declaration")
    caucus = make_body("Open caucus", kind="thematic_caucus", team_role=None)
    keys = [p.key for p in document.current_version.paragraphs]
    mine = propose_amendment(
        document, me, kind="modify", paragraph=keys[1], text="Mine text.", rationale="Mine."
    )
    theirs = propose_amendment(
        document, other, kind="modify", paragraph=keys[2], text="Their text.", rationale="Theirs."
    )
    set_position(theirs, me, "oppose")
    set_position(mine, other, "support")
    add_comment(theirs, me, "My comment on the other amendment.")
    add_comment(mine, other, "Their comment on mine.")
    start_topic(me, title="My topic on equal time", text="My first post.", body=caucus)
    start_topic(other, title="Their topic on budgets", text="Their post.", body=caucus)
    follow(me.id, "body", caucus.id)
    db.session.commit()
    return me, other, mine, theirs, caucus


def test_page_lists_my_rows_and_not_someone_elses(client, login, world):
    me, other, mine, theirs, caucus = world
    login(client, me)
    response = client.get("/me/activity")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    amendments = html.split('id="amendments"')[1].split('id="positions"')[0]
    positions = html.split('id="positions"')[1].split('id="comments"')[0]
    comments = html.split('id="comments"')[1].split('id="follows"')[0]
    follows = html.split('id="follows"')[1]
    # My amendment, with its status; not the other person's.
    assert f"/amendments/{mine.id}" in amendments and "Proposed" in amendments
    assert f"/amendments/{theirs.id}" not in amendments
    # My position (oppose, on their amendment); not theirs on mine.
    assert "Oppose" in positions and f"/amendments/{theirs.id}" in positions
    assert "Support" not in positions and f'/amendments/{mine.id}"' not in positions
    # My comment and my post; not theirs.
    assert "My comment on the other amendment." in comments
    assert "My topic on equal time" in comments and "My first post." in comments
    assert "Their comment on mine." not in comments and "Their topic" not in comments
    # What I follow: the caucus by hand, my own amendment and my thread automatically.
    assert 'href="/bodies/open-caucus"' in follows
    assert f'href="/amendments/{mine.id}"' in follows
    assert "Their topic" not in follows


def test_page_shows_a_decision_as_the_amendment_status(client, login, world, make_user):
    from app.amendments.services import withdraw_amendment

    me, _other, mine, _theirs, _caucus = world
    withdraw_amendment(mine, me, "Merged into another proposal.")
    db.session.commit()
    login(client, me)
    amendments = client.get("/me/activity").get_data(as_text=True).split('id="amendments"')[1]
    assert "status-withdrawn" in amendments.split('id="positions"')[0]


def test_a_visitor_is_sent_to_log_in_and_the_menu_links_the_page(client, login, world):
    me = world[0]
    response = client.get("/me/activity")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert 'href="/me/activity"' not in client.get("/").get_data(as_text=True)
    login(client, me)
    assert 'href="/me/activity"' in client.get("/").get_data(as_text=True)


def test_newcomer_sees_empty_lists(client, login, make_user):
    login(client, make_user())
    html = client.get("/me/activity").get_data(as_text=True)
    assert "You have proposed no amendment yet." in html
    assert "You follow nothing yet." in html


def test_api_twin_answers_the_callers_own_activity(client, make_token, world):
    me, other, mine, theirs, caucus = world
    headers = {"Authorization": f"Bearer {make_token(me)}"}
    data = client.get("/api/me/activity", headers=headers).get_json()
    assert [(a["id"], a["status"]) for a in data["amendments"]] == [(mine.id, "proposed")]
    assert [(p["amendment"], p["stance"]) for p in data["positions"]] == [(theirs.id, "oppose")]
    assert [c["amendment"] for c in data["comments"]] == [theirs.id]
    assert data["comments"][0]["url"].endswith(f"#c-{data['comments'][0]['id']}")
    assert [p["subject"] for p in data["posts"]] == ["My topic on equal time"]
    assert ("body", caucus.id) in {(f["kind"], f["target_id"]) for f in data["follows"]}
    assert client.get("/api/me/activity").status_code == 401


def test_api_description_has_the_activity_path(client):
    spec = client.get("/api/openapi.json").get_json()
    assert "get" in spec["paths"]["/api/me/activity"]
    assert "Activity" in spec["components"]["schemas"]
