"""Reports and moderation: hide with a public reason or dismiss; hidden content keeps its place
as "hidden by a moderator: reason"; nothing is deleted; the reporter is told."""

import json
import threading
import urllib.request
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.amendments import proceedings
from app.amendments import services as amendments
from app.core import signals
from app.discussion import services as discussion
from app.discussion.models import Message
from app.extensions import db
from app.moderation.models import HiddenContent, Report


@pytest.fixture
def place(make_user, make_body, make_document, make_token):
    """A caucus with a thread, a document it owns with an amendment and a comment."""
    coordinator = make_user("civil_society", name="Cora Coordinator")
    author = make_user("government", name="Troll Author")
    reporter = make_user("private_sector", name="Rita Reporter")
    other = make_user("civil_society", name="Otto Other")
    admin = make_user("international_organization", admin=True, name="Ada Admin")
    caucus = make_body(
        "Youth caucus",
        kind="thematic_caucus",
        team_role=None,
        members=[author, reporter],
        coordinators=[coordinator],
    )
    elsewhere = make_body(
        "Gender caucus", kind="thematic_caucus", team_role=None, coordinators=[other]
    )
    topic = discussion.start_topic(author, title="Agenda", text="Opening words", body=caucus)
    post = discussion.reply(author, topic, text="An insulting remark")
    document = make_document(owner=caucus)
    amendment = amendments.propose_amendment(
        document,
        author,
        kind="modify",
        paragraph=document.current_version.paragraphs[1].key,
        text="All stakeholder groups take part as equals, always.",
        rationale="A rude rationale",
    )
    comment = proceedings.add_comment(amendment, author, "A rude comment")
    db.session.commit()
    return SimpleNamespace(
        coordinator=coordinator,
        author=author,
        reporter=reporter,
        other=other,
        admin=admin,
        caucus=caucus,
        elsewhere=elsewhere,
        topic=topic,
        post=post,
        amendment=amendment,
        comment=comment,
        token=lambda user: {"Authorization": f"Bearer {make_token(user)}"},
    )


def _report(client, place, target, reason="Insulting"):
    return client.post(
        "/api/reports",
        json={"target": target, "reason": reason},
        headers=place.token(place.reporter),
    )


def test_reporting_needs_sign_in_a_target_and_a_reason(client, place):
    assert (
        client.post(
            "/api/reports", json={"target": f"post:{place.post.id}", "reason": "x"}
        ).status_code
        == 401
    )
    assert _report(client, place, "post:abc").status_code == 400
    assert _report(client, place, "poll:1").status_code == 400
    assert _report(client, place, "post:999999").status_code == 404
    response = _report(client, place, f"post:{place.post.id}", reason="  ")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "reason_required"
    response = _report(client, place, f"post:{place.post.id}")
    assert response.status_code == 201
    assert response.get_json()["status"] == "open"
    assert _report(client, place, f"post:{place.post.id}").status_code == 409


def test_coordinator_hides_a_post_and_the_archive_keeps_its_place(client, login, place):
    told = []

    def listener(report, **kwargs):
        told.append((report.reporter_id, kwargs["outcome"], kwargs["reason"]))

    signals.report_resolved.connect(listener)
    try:
        report_id = _report(client, place, f"post:{place.post.id}").get_json()["id"]
        # A coordinator of another body, or a plain member, may not moderate it.
        for user in (place.other, place.reporter):
            response = client.post(
                f"/api/reports/{report_id}/hide", json={"reason": "x"}, headers=place.token(user)
            )
            assert response.status_code == 403
        response = client.post(
            f"/api/reports/{report_id}/hide", json={}, headers=place.token(place.coordinator)
        )
        assert response.get_json()["error"]["code"] == "reason_required"
        response = client.post(
            f"/api/reports/{report_id}/hide",
            json={"reason": "Personal attack"},
            headers=place.token(place.coordinator),
        )
        assert response.status_code == 200 and response.get_json()["status"] == "hidden"
    finally:
        signals.report_resolved.disconnect(listener)
    assert told == [(place.reporter.id, "hidden", "Personal attack")]

    page = client.get(f"/discussions/{place.topic.id}").get_data(as_text=True)
    assert "Hidden by a moderator: Personal attack" in page
    assert "An insulting remark" not in page and "Opening words" in page
    assert f'id="m-{place.post.id}"' in page  # it keeps its place in the thread
    thread = client.get(f"/api/threads/{place.topic.id}").get_json()
    hidden = [p for p in thread["posts"] if p["id"] == place.post.id][0]
    assert hidden["hidden"] is True and hidden["reason"] == "Personal attack"
    assert hidden["body_html"] == ""
    shown = [p for p in thread["posts"] if p["id"] != place.post.id][0]
    assert shown["hidden"] is False and "Opening words" in shown["body_html"]
    threads = client.get(f"/api/bodies/{place.caucus.slug}/threads").get_json()
    assert threads["threads"][0]["posts"] == 2
    feed = client.get(f"/bodies/{place.caucus.slug}/discussions.atom")
    assert feed.status_code == 200
    assert b"An insulting remark" not in feed.data and b"Personal attack" in feed.data
    # Nothing is deleted.
    assert db.session.get(Message, place.post.id).text == "An insulting remark"

    login(client, place.reporter)
    mine = client.get("/reports/mine").get_data(as_text=True)
    assert "Hidden by a moderator" in mine and "Personal attack" in mine
    status = client.get(f"/api/reports/{report_id}", headers=place.token(place.reporter))
    assert status.get_json()["status"] == "hidden"
    assert (
        client.get(f"/api/reports/{report_id}", headers=place.token(place.other)).status_code == 403
    )


def test_dismissing_leaves_the_content_and_tells_the_reporter(client, login, place):
    report_id = _report(client, place, f"comment:{place.comment.id}").get_json()["id"]
    response = client.post(
        f"/api/reports/{report_id}/dismiss",
        json={"reason": "Robust, not rude"},
        headers=place.token(place.admin),
    )
    assert response.status_code == 200 and response.get_json()["status"] == "dismissed"
    assert (
        client.post(
            f"/api/reports/{report_id}/hide", json={"reason": "x"}, headers=place.token(place.admin)
        ).status_code
        == 409
    )
    page = client.get(f"/amendments/{place.amendment.id}").get_data(as_text=True)
    assert "A rude comment" in page and "Hidden by a moderator" not in page
    login(client, place.reporter)
    mine = client.get("/reports/mine").get_data(as_text=True)
    assert "Dismissed by a moderator" in mine and "Robust, not rude" in mine


def test_rationale_comment_and_profile_hidden_in_place(client, login, place):
    for target in (
        f"amendment:{place.amendment.id}",
        f"comment:{place.comment.id}",
        f"user:{place.author.id}",
    ):
        report_id = _report(client, place, target).get_json()["id"]
        response = client.post(
            f"/api/reports/{report_id}/hide",
            json={"reason": f"Hidden {target.split(':')[0]}"},
            headers=place.token(place.admin),
        )
        assert response.status_code == 200, response.get_json()
    page = client.get(f"/amendments/{place.amendment.id}").get_data(as_text=True)
    assert "Hidden by a moderator: Hidden amendment" in page
    assert "Hidden by a moderator: Hidden comment" in page
    assert "A rude rationale" not in page and "A rude comment" not in page
    data = client.get(f"/api/amendments/{place.amendment.id}").get_json()
    assert data["hidden"] is True and data["hidden_reason"] == "Hidden amendment"
    assert data["rationale"] == ""
    person = client.get(f"/people/{place.author.id}").get_data(as_text=True)
    assert "Hidden by a moderator: Hidden user" in person
    # A hidden thing cannot be reported again.
    assert _report(client, place, f"user:{place.author.id}").status_code == 409


def test_profiles_are_moderated_by_administrators_only(client, place):
    report_id = _report(client, place, f"user:{place.author.id}").get_json()["id"]
    response = client.post(
        f"/api/reports/{report_id}/hide",
        json={"reason": "x"},
        headers=place.token(place.coordinator),
    )
    assert response.status_code == 403


def test_report_form_and_queue_pages(client, login, place):
    login(client, place.reporter)
    page = client.get(f"/discussions/{place.topic.id}").get_data(as_text=True)
    assert f'value="post:{place.post.id}"' in page
    response = client.post(
        "/reports", data={"target": f"post:{place.post.id}", "reason": "Spam", "next": "/"}
    )
    assert response.status_code == 302 and "/reports/mine" in response.headers["Location"]
    assert client.get("/moderation").status_code == 403

    login(client, place.coordinator)
    queue = client.get("/moderation").get_data(as_text=True)
    report = db.session.scalar(select(Report))
    assert f'id="report-{report.id}"' in queue and "Spam" in queue
    response = client.post(f"/reports/{report.id}/hide", data={"reason": "Advertising"})
    assert response.status_code == 302
    db.session.expire_all()
    assert report.status == "hidden" and report.resolution == "Advertising"
    assert "No open reports" in client.get("/moderation").get_data(as_text=True)

    login(client, place.other)  # coordinates another body: sees nothing of this one
    assert f'id="report-{report.id}"' not in client.get("/moderation").get_data(as_text=True)


def test_hiding_closes_every_open_report_of_the_content(client, place, make_user, make_token):
    first = _report(client, place, f"post:{place.post.id}").get_json()["id"]
    second_reporter = make_user("government")
    second = client.post(
        "/api/reports",
        json={"target": f"post:{place.post.id}", "reason": "Rude"},
        headers={"Authorization": f"Bearer {make_token(second_reporter)}"},
    ).get_json()["id"]
    response = client.post(
        f"/api/reports/{first}/hide",
        json={"reason": "Rude"},
        headers=place.token(place.coordinator),
    )
    assert response.get_json()["also_resolved"] == [second]
    assert db.session.get(Report, second).status == "hidden"


def test_parallel_hides_of_one_report_give_one_outcome(place, live_server, make_token, client):
    report_id = _report(client, place, f"post:{place.post.id}").get_json()["id"]
    moderators = [place.admin, place.coordinator] * 4
    tokens = [make_token(user) for user in moderators]
    barrier = threading.Barrier(len(tokens))
    results: list[int] = []

    def hide(n, token):
        action = "hide" if n % 3 else "dismiss"
        request = urllib.request.Request(
            f"{live_server}/api/reports/{report_id}/{action}",
            method="POST",
            data=json.dumps({"reason": f"Moderator {n}"}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                results.append(response.status)
        except urllib.error.HTTPError as error:
            results.append(error.code)

    threads = [threading.Thread(target=hide, args=(n, t)) for n, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [200] + [409] * (len(tokens) - 1)
    db.session.expire_all()
    report = db.session.get(Report, report_id)
    hidden_rows = db.session.scalar(select(func.count(HiddenContent.id)))
    assert hidden_rows == (1 if report.status == "hidden" else 0)
