"""Balance figures on a crafted population, with exact numbers."""

import pytest

from app.balance.queries import body_balance, document_balance, site_balance
from app.bodies.services import add_member
from app.extensions import db


@pytest.fixture
def population(seeded, make_user, make_document, body_of, add_activity, add_message):
    people = {
        "gov_n": make_user("government", country="FR"),
        "cs_s1": make_user("civil_society", country="KE"),
        "cs_s2": make_user("civil_society", country="BR"),
        "ps_n": make_user("private_sector", country="DE"),
        "io_n": make_user("international_organization", country="CH"),
    }
    team = body_of("drafting-team")
    add_member(team, people["cs_s1"], coordinator=True)
    add_member(team, people["gov_n"])
    doc = make_document(title="Crafted declaration", owner=team, slug="crafted")
    other = make_document(title="Other document", slug="other")
    a = add_activity
    a1 = a["amendment"](doc, people["cs_s1"])
    a["amendment"](doc, people["cs_s1"])
    a3 = a["amendment"](doc, people["cs_s2"])
    a["amendment"](doc, people["gov_n"])
    a["position"](a1, people["gov_n"])
    a["position"](a1, people["ps_n"], "oppose")
    a["position"](a1, people["cs_s2"])
    a["position"](a3, people["cs_s1"])
    a["comment"](a1, people["ps_n"])
    add_message(people["gov_n"], document=doc)
    add_message(people["cs_s1"], body=team)
    add_message(people["ps_n"], body=team)  # not a member: outside the body's balance
    a["amendment"](other, people["io_n"])
    db.session.commit()
    return people, doc, team


def test_document_balance_exact(population):
    _, doc, _ = population
    result = document_balance(doc)
    assert result.groups["civil_society"] == {
        "participants": 2,
        "amendments": 3,
        "positions": 2,
        "comments": 0,
    }
    assert result.groups["government"] == {
        "participants": 1,
        "amendments": 1,
        "positions": 1,
        "comments": 1,
    }
    assert result.groups["private_sector"] == {
        "participants": 1,
        "amendments": 0,
        "positions": 1,
        "comments": 1,
    }
    assert result.groups["international_organization"] == dict.fromkeys(
        ["participants", "amendments", "positions", "comments"], 0
    )
    assert result.sides == {
        "north": {"participants": 2, "amendments": 1, "positions": 2, "comments": 2},
        "south": {"participants": 2, "amendments": 3, "positions": 2, "comments": 0},
    }
    assert result.totals == {"participants": 4, "amendments": 4, "positions": 4, "comments": 2}
    flagged = {(w["dimension"], w["key"], w["metric"]) for w in result.warnings}
    # Exactly half (2 of 4) is not more than half: no warning for positions or participants.
    assert flagged == {
        ("group", "civil_society", "amendments"),
        ("side", "south", "amendments"),
        ("side", "north", "comments"),
    }
    message = next(
        w["message"]
        for w in result.warnings
        if w["metric"] == "amendments" and w["dimension"] == "group"
    )
    assert message == "Civil society provides 3 of 4 amendments (75%), more than half."


def test_body_balance_counts_members_and_their_activity(population):
    _, _, team = population
    result = body_balance(team)
    assert result.totals == {"participants": 2, "amendments": 3, "positions": 2, "comments": 2}
    assert result.groups["civil_society"] == {
        "participants": 1,
        "amendments": 2,
        "positions": 1,
        "comments": 1,
    }
    assert result.groups["private_sector"]["comments"] == 0
    assert result.sides["south"]["amendments"] == 2 and result.sides["north"]["amendments"] == 1


def test_site_balance_counts_everyone(population):
    result = site_balance()
    assert result.totals == {"participants": 5, "amendments": 5, "positions": 4, "comments": 4}
    assert result.sides["north"]["participants"] == 3
    assert result.groups["international_organization"]["amendments"] == 1
    flagged = {(w["dimension"], w["key"], w["metric"]) for w in result.warnings}
    assert ("side", "north", "participants") in flagged
    assert ("group", "civil_society", "amendments") in flagged
    assert ("side", "north", "comments") in flagged


def test_balance_api(client, population):
    data = client.get("/api/documents/crafted/balance").json
    assert data["groups"]["civil_society"]["amendments"] == 3
    assert data["sides"] == {
        "north": {"participants": 2, "amendments": 1, "positions": 2, "comments": 2},
        "south": {"participants": 2, "amendments": 3, "positions": 2, "comments": 0},
    }
    assert len(data["warnings"]) == 3
    assert client.get("/api/documents/nope/balance").status_code == 404


def test_balance_pages_render_accessible_charts_and_warnings(client, population):
    page = client.get("/documents/crafted/balance").get_data(as_text=True)
    assert page.count('role="img"') == 2
    assert 'aria-labelledby="document-balance-groups-title document-balance-groups-desc"' in page
    assert 'id="document-balance-groups-title">Share of each stakeholder group' in page
    assert "Civil society provides 3 of 4 amendments (75%), more than half." in page
    assert "<caption>By stakeholder group</caption>" in page
    assert 'aria-current="page">Balance</a>' in page
    assert client.get("/documents/nope/balance").status_code == 404
    site = client.get("/balance").get_data(as_text=True)
    assert "The North provides 3 of 5 participants (60%), more than half." in site
    body = client.get("/bodies/drafting-team").get_data(as_text=True)
    assert 'id="body-balance"' in body and "Civil society provides 2 of 3 amendments" in body


def test_balanced_activity_shows_no_warning(client, seeded, make_user):
    for group, country in [
        ("government", "FR"),
        ("civil_society", "KE"),
        ("private_sector", "BR"),
        ("international_organization", "CH"),
    ]:
        make_user(group, country=country)
    assert site_balance().warnings == []
    assert "Unbalanced participation" not in client.get("/balance").get_data(as_text=True)
