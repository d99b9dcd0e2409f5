"""Reading the archives: by thread, by date, Atom feeds, summaries (their search: tests/search)."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from app.discussion import queries
from app.extensions import db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def archive(make_user, make_body, make_document, post_topic, post_reply):
    """Two bodies and a document with topics whose times are spread over three days."""
    amina, lucas = (
        make_user(name="Amina"),
        make_user(name="Lucas", group="government", country="BR"),
    )
    caucus = make_body("Africa caucus", kind="regional_caucus", team_role=None, members=[amina])
    other = make_body("Youth caucus", kind="thematic_caucus", team_role=None)
    document = make_document(slug="charter", title="Charter")
    budget = post_topic(
        amina, title="Budget of the summit", text="Travel grants for the Global South.", body=caucus
    )
    reply = post_reply(lucas, budget, text="Governments can fund **interpretation** services.")
    youth = post_topic(
        lucas, title="Youth speakers", text="Two speaking slots for youth.", body=other
    )
    scope = post_topic(
        amina,
        title="Scope of paragraph 3",
        text="Interpretation matters here too.",
        document=document,
    )
    # Anchored at 09:00 so that the hours added below never cross an extra midnight.
    base = (budget.created_at - timedelta(days=3)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    for n, message in enumerate([budget.messages[0], reply, youth.messages[0], scope.messages[0]]):
        message.created_at = base + timedelta(days=n // 2, hours=n)
    for topic in (budget, youth, scope):
        topic.last_post_at = max(m.created_at for m in topic.messages)
    db.session.commit()
    return {
        "caucus": caucus,
        "other": other,
        "document": document,
        "budget": budget,
        "reply": reply,
        "youth": youth,
        "scope": scope,
        "amina": amina,
        "lucas": lucas,
    }


def test_archives_readable_without_account(client, archive):
    for url in (
        "/discussions",
        "/discussions?by=date",
        "/bodies/africa-caucus/discussions",
        "/bodies/africa-caucus/discussions?by=date",
        "/documents/charter/discussions",
        f"/discussions/{archive['budget'].id}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"Budget of the summit" in client.get("/bodies/africa-caucus/discussions").data
    assert b"Youth speakers" not in client.get("/bodies/africa-caucus/discussions").data


def test_by_thread_orders_by_last_activity_with_counts(archive):
    listing = queries.topics()
    titles = [(topic.title, count) for topic, count in listing.items]
    assert titles == [
        ("Scope of paragraph 3", 1),
        ("Youth speakers", 1),
        ("Budget of the summit", 2),
    ]
    only_body = queries.topics(body_id=archive["caucus"].id)
    assert [t.title for t, _ in only_body.items] == [
        "Budget of the summit"
    ] and only_body.total == 1


def test_by_date_lists_messages_newest_first_grouped_by_day(client, archive):
    page = queries.messages_by_date()
    assert [m.id for m in page.items] == [
        archive["scope"].messages[0].id,
        archive["youth"].messages[0].id,
        archive["reply"].id,
        archive["budget"].messages[0].id,
    ]
    html = client.get("/discussions?by=date").data.decode()
    assert html.count('class="day"') == 2
    assert html.index("Scope of paragraph 3") < html.index("Re: Budget of the summit")
    assert f"#m-{archive['reply'].id}" in html
    document_html = client.get("/documents/charter/discussions?by=date").data.decode()
    assert "Scope of paragraph 3" in document_html and "Budget" not in document_html


def test_pagination(client, make_user, make_body, post_topic):
    body = make_body("Busy caucus", kind="thematic_caucus", team_role=None)
    user = make_user()
    for n in range(35):
        post_topic(user, title=f"Topic {n:02d}", body=body)
    first = client.get("/bodies/busy-caucus/discussions").data.decode()
    second = client.get("/bodies/busy-caucus/discussions?page=2").data.decode()
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert first.count("/discussions/") >= 30 and "Topic 00" in second and "Topic 00" not in first
    assert client.get("/bodies/busy-caucus/discussions?page=abc").status_code == 200


def test_feeds_parse_as_atom(client, archive):
    response = client.get("/bodies/africa-caucus/discussions.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == "Discussions: Africa caucus"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Re: Budget of the summit",
        "Budget of the summit",
    ]
    first = entries[0]
    assert first.find(f"{ATOM}id").text.endswith(f"/messages/{archive['reply'].id}")
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Lucas"
    assert "<strong>interpretation</strong>" in first.find(f"{ATOM}content").text
    assert first.find(f"{ATOM}content").get("type") == "html"
    assert feed.find(f"{ATOM}updated").text.endswith("Z")

    document_feed = ET.fromstring(client.get("/documents/charter/discussions.atom").data)
    assert [e.find(f"{ATOM}title").text for e in document_feed.findall(f"{ATOM}entry")] == [
        "Scope of paragraph 3"
    ]
    empty = ET.fromstring(client.get("/bodies/youth-caucus/discussions.atom").data)
    assert len(empty.findall(f"{ATOM}entry")) == 1
    assert client.get("/bodies/none/discussions.atom").status_code == 404


def test_archive_partial_summarises(app, archive):
    from flask import render_template_string

    with app.test_request_context("/"):
        html = render_template_string(
            '{% include "discussion/_archive.html" %}', archive_body=archive["caucus"]
        )
        assert "1 topic," in html and "2 messages" in html and "Budget of the summit" in html
        assert "/bodies/africa-caucus/discussions.atom" in html
        doc_html = render_template_string(
            '{% include "discussion/_archive.html" %}', archive_document=archive["document"]
        )
        assert "Scope of paragraph 3" in doc_html and "/documents/charter/discussions" in doc_html
        assert render_template_string('{% include "discussion/_archive.html" %}').strip() == ""
