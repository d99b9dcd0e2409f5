"""Posting in the archives: topics, replies, on behalf of bodies, edits and their history."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.errors import Forbidden, ValidationError
from app.discussion import services
from app.discussion.models import Message, MessageRevision, Topic
from app.discussion.queries import thread
from app.extensions import db


def _count(model):
    return db.session.scalar(select(func.count(model.id)))


def test_start_topic_in_body_through_page(client, make_user, make_body, login):
    user = make_user()
    body = make_body("Gender caucus", kind="thematic_caucus", team_role=None)
    login(client, user)
    form = client.get(f"/bodies/{body.slug}/discussions/new")
    assert form.status_code == 200 and b'name="title"' in form.data
    response = client.post(
        f"/bodies/{body.slug}/discussions/new",
        data={"title": "Speakers list", "text": "Who speaks *first*?"},
    )
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic))
    assert response.headers["Location"] == f"/discussions/{topic.id}"
    assert topic.body_id == body.id and topic.document_id is None and topic.author_id == user.id
    page = client.get(f"/discussions/{topic.id}")
    assert b"Speakers list" in page.data and b"<em>first</em>" in page.data


def test_start_topic_on_document_and_tab(client, make_user, make_document, login):
    document = make_document(slug="charter")
    login(client, make_user())
    response = client.post(
        "/documents/charter/discussions/new", data={"title": "Scope", "text": "Too wide."}
    )
    assert response.status_code == 302
    archive = client.get("/documents/charter/discussions")
    assert archive.status_code == 200 and b"Scope" in archive.data
    topic = db.session.scalar(select(Topic))
    assert topic.document_id == document.id

    from app.documents.hooks import TABS

    assert any(
        t.endpoint == "discussion.document_discussions"
        and t.order == 70
        and t.label == "Discussion"
        for t in TABS
    )


def test_topic_form_errors_keep_text(client, make_user, make_body, login):
    body = make_body("Youth caucus", kind="thematic_caucus", team_role=None)
    login(client, make_user())
    response = client.post(
        f"/bodies/{body.slug}/discussions/new", data={"title": "", "text": "Kept text"}
    )
    assert response.status_code == 400
    assert b"A topic needs a subject" in response.data and b"Kept text" in response.data
    assert _count(Topic) == 0


def test_unknown_places_are_404(client, make_user, login):
    login(client, make_user())
    assert client.get("/bodies/nope/discussions").status_code == 404
    assert client.get("/documents/nope/discussions").status_code == 404
    assert (
        client.post("/bodies/nope/discussions/new", data={"title": "x", "text": "y"}).status_code
        == 404
    )
    assert client.get("/discussions/999").status_code == 404
    assert client.get("/messages/999").status_code == 404


def test_anonymous_cannot_post(client, make_user, make_body, post_topic):
    body = make_body("Open caucus", kind="thematic_caucus", team_role=None)
    topic = post_topic(make_user(), body=body)
    new = client.post(f"/bodies/{body.slug}/discussions/new", data={"title": "x", "text": "y"})
    assert new.status_code == 302 and "/login" in new.headers["Location"]
    answer = client.post(f"/discussions/{topic.id}/reply", data={"text": "sneaky"})
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert _count(Topic) == 1 and _count(Message) == 1
    page = client.get(f"/discussions/{topic.id}")
    assert page.status_code == 200 and b'name="text"' not in page.data and b"Log in" in page.data
    with pytest.raises(Forbidden):
        services.reply(None, topic, text="no")


def test_reply_through_page_and_permalink(client, make_user, make_body, login, post_topic):
    body = make_body("Open caucus", kind="thematic_caucus", team_role=None)
    topic = post_topic(make_user(), body=body)
    first = topic.messages[0]
    replier = make_user()
    login(client, replier)
    form = client.get(f"/discussions/{topic.id}/reply?to={first.id}")
    assert form.status_code == 200 and b"First message" in form.data
    response = client.post(
        f"/discussions/{topic.id}/reply", data={"text": "Agreed.", "parent_id": first.id}
    )
    reply = db.session.scalar(select(Message).where(Message.text == "Agreed."))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/discussions/{topic.id}#m-{reply.id}"
    assert reply.parent_id == first.id and reply.author_id == replier.id
    permalink = client.get(f"/messages/{reply.id}")
    assert permalink.status_code == 302
    assert permalink.headers["Location"] == f"/discussions/{topic.id}#m-{reply.id}"
    page = client.get(f"/discussions/{topic.id}").data.decode()
    assert f'id="m-{reply.id}"' in page and f'id="m-{first.id}"' in page


def test_reply_to_message_of_other_topic_refused(make_user, make_body, post_topic):
    body = make_body("Open caucus", kind="thematic_caucus", team_role=None)
    user = make_user()
    one, two = post_topic(user, body=body), post_topic(user, body=body, title="Other")
    with pytest.raises(ValidationError):
        services.reply(user, one, text="x", parent=two.messages[0])


def test_empty_reply_refused_and_last_post_updated(
    client, make_user, make_body, login, post_topic, post_reply
):
    body = make_body("Open caucus", kind="thematic_caucus", team_role=None)
    user = make_user()
    topic = post_topic(user, body=body)
    started = topic.last_post_at
    login(client, user)
    assert client.post(f"/discussions/{topic.id}/reply", data={"text": "   "}).status_code == 400
    post_reply(user, topic, text="later")
    db.session.refresh(topic)
    assert topic.last_post_at >= started and _count(Message) == 2


def test_thread_order_nests_replies_under_parents(make_user, make_body, post_topic, post_reply):
    body = make_body("Open caucus", kind="thematic_caucus", team_role=None)
    a, b = make_user(), make_user()
    topic = post_topic(a, body=body, text="root")
    root = topic.messages[0]
    r1 = post_reply(b, topic, text="r1")
    r2 = post_reply(a, topic, text="r2")
    r1a = post_reply(a, topic, text="r1a", parent=r1)
    r1a1 = post_reply(b, topic, text="r1a1", parent=r1a)
    r1b = post_reply(b, topic, text="r1b", parent=r1)
    ordered = [(m.text, depth) for m, depth in thread(topic)]
    assert ordered == [("root", 0), ("r1", 1), ("r1a", 2), ("r1a1", 3), ("r1b", 2), ("r2", 1)]
    assert {m.id for m in (root, r1, r2, r1a, r1a1, r1b)} == {m.id for m, _ in thread(topic)}


def test_on_behalf_of_body_requires_membership(client, make_user, make_body, login, post_topic):
    member, outsider = make_user(), make_user()
    caucus = make_body("Africa caucus", kind="regional_caucus", team_role=None, members=[member])
    place = make_body("Plenary", kind="plenary", team_role=None)
    with pytest.raises(Forbidden):
        services.start_topic(outsider, title="x", text="y", body=place, on_behalf_of=caucus)
    db.session.rollback()
    topic = post_topic(member, body=place, title="Our position", on_behalf_of=caucus)
    assert topic.on_behalf_body_id == caucus.id and topic.messages[0].on_behalf_body_id == caucus.id
    with pytest.raises(Forbidden):
        services.reply(outsider, topic, text="as caucus", on_behalf_of=caucus)
    db.session.rollback()

    login(client, outsider)
    refused = client.post(
        f"/discussions/{topic.id}/reply", data={"text": "fake", "on_behalf_of": caucus.id}
    )
    assert refused.status_code == 403
    assert b"Only members of Africa caucus" in refused.data and b"fake" in refused.data
    assert _count(Message) == 1

    login(client, member)
    page = client.get(f"/discussions/{topic.id}").data.decode()
    assert "On behalf of Africa caucus" in page  # offered to members
    ok = client.post(
        f"/discussions/{topic.id}/reply", data={"text": "caucus view", "on_behalf_of": caucus.id}
    )
    assert ok.status_code == 302
    shown = client.get(f"/discussions/{topic.id}").data.decode()
    assert 'class="on-behalf"' in shown and "posted by" in shown


def test_edit_within_window_keeps_history(client, make_user, make_body, login, post_topic):
    body = make_body("Open caucus", kind="thematic_caucus", team_role=None)
    author = make_user()
    topic = post_topic(author, body=body, text="Version one")
    message = topic.messages[0]
    login(client, author)
    assert client.get(f"/messages/{message.id}/edit").status_code == 200
    assert (
        client.post(f"/messages/{message.id}/edit", data={"text": "Version two"}).status_code == 302
    )
    services.edit_message(author, message, text="Version three")
    db.session.commit()
    db.session.refresh(message)
    assert message.text == "Version three" and message.edited_at is not None
    revisions = db.session.scalars(select(MessageRevision).order_by(MessageRevision.id)).all()
    assert [r.text for r in revisions] == ["Version one", "Version two"]
    assert revisions[0].created_at == message.created_at
    history = client.get(f"/messages/{message.id}/history").data.decode()
    assert "Version one" in history and "Version three" in history and "Current text" in history
    assert 'class="diff-ins"' in history
    page = client.get(f"/discussions/{topic.id}").data.decode()
    assert "edited" in page and f"/messages/{message.id}/history" in page


def test_edit_refused_for_others_and_after_window(
    app, client, make_user, make_body, login, post_topic
):
    body = make_body("Open caucus", kind="thematic_caucus", team_role=None)
    author, other = make_user(), make_user()
    topic = post_topic(author, body=body, text="Original")
    message = topic.messages[0]
    login(client, other)
    assert client.post(f"/messages/{message.id}/edit", data={"text": "hijack"}).status_code == 403
    window = app.config["MESSAGE_EDIT_WINDOW_MINUTES"]
    message.created_at = message.created_at - timedelta(minutes=window + 1)
    db.session.commit()
    login(client, author)
    late = client.post(f"/messages/{message.id}/edit", data={"text": "too late"})
    assert late.status_code == 403 and f"first {window} minutes".encode() in late.data
    db.session.refresh(message)
    assert message.text == "Original" and _count(MessageRevision) == 0
    assert b"/edit" not in client.get(f"/discussions/{topic.id}").data


def test_message_markdown_is_sanitised(client, make_user, make_body, post_topic):
    body = make_body("Open caucus", kind="thematic_caucus", team_role=None)
    evil = (
        "<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)> "
        "**bold**"
    )
    topic = post_topic(make_user(name="<b>Mallory</b>"), body=body, title="<i>Title</i>", text=evil)
    html = client.get(f"/discussions/{topic.id}").data.decode()
    assert "<script>alert(1)" not in html and 'href="javascript' not in html
    assert "<img" not in html and "<b>Mallory</b>" not in html and "<i>Title</i>" not in html
    assert "<strong>bold</strong>" in html and "&lt;i&gt;Title&lt;/i&gt;" in html


def test_long_inputs_refused(make_user, make_body):
    body = make_body("Open caucus", kind="thematic_caucus", team_role=None)
    user = make_user()
    with pytest.raises(ValidationError):
        services.start_topic(user, title="t" * 201, text="x", body=body)
    with pytest.raises(ValidationError):
        services.start_topic(user, title="t", text="x" * 50_001, body=body)
    with pytest.raises(ValidationError):
        services.start_topic(user, title="t", text="x")  # nowhere


def test_reply_page_refuses_parent_from_other_topic(
    client, make_user, make_body, login, post_topic
):
    body = make_body("Open caucus", kind="thematic_caucus", team_role=None)
    user = make_user()
    one, two = post_topic(user, body=body), post_topic(user, body=body, title="Other")
    login(client, user)
    other_first = two.messages[0].id
    assert client.get(f"/discussions/{one.id}/reply?to={other_first}").status_code == 404
    response = client.post(
        f"/discussions/{one.id}/reply", data={"text": "x", "parent_id": other_first}
    )
    assert response.status_code == 404
    assert (
        client.post(
            f"/discussions/{one.id}/reply", data={"text": "x", "on_behalf_of": "abc"}
        ).status_code
        == 400
    )
    assert len(one.messages) == 1
