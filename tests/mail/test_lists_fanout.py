"""Who gets a copy of a list post, with which headers, queued in the post's own transaction."""

import pytest
from sqlalchemy import func, select
from test_lists_support import verify

from app.bodies.models import REQUESTED, Membership
from app.bodies.queries import is_member
from app.core.timeutil import utcnow
from app.discussion import services
from app.discussion.models import Topic
from app.extensions import db
from app.mail.addresses import read_reply_address
from app.mail.builder import build_message
from app.mail.list_models import ListPost
from app.mail.lists import recipients
from app.mail.models import MailAddress, OutboxMail
from app.mail.optouts import set_list_mail, wants_list_mail
from app.mail.outbox import mailable
from app.notifications.services import update_preferences


@pytest.fixture
def caucus_people(make_user, make_body):
    people = {
        name: verify(make_user(email=f"{name}@example.org", name=name.title()))
        for name in ("ana", "ben", "cleo", "dan", "outsider", "pending")
    }
    people["unverified"] = make_user(email="unverified@example.org")
    members = [people[n] for n in ("ana", "ben", "cleo", "dan", "unverified")]
    body = make_body("Caucus A", kind="caucus", team_role=None, members=members, slug="caucus-a")
    db.session.add(Membership(body_id=body.id, user_id=people["pending"].id, status=REQUESTED))
    db.session.commit()
    return body, people


def list_copies() -> list[OutboxMail]:
    return list(
        db.session.scalars(
            select(OutboxMail).where(OutboxMail.kind == "list").order_by(OutboxMail.id)
        )
    )


def test_verified_active_members_but_the_author_get_a_copy(caucus_people):
    body, people = caucus_people
    set_list_mail(people["cleo"], body.id, False)  # left this list's mail
    update_preferences(people["dan"], {"list_mail": False})  # wants no list mail at all
    db.session.commit()
    services.start_topic(people["ana"], title="Paragraph 3", text="We *support* it.", body=body)
    db.session.commit()
    copies = list_copies()
    assert [c.recipient for c in copies] == ["ben@example.org"]
    (copy,) = copies
    assert copy.subject == "[caucus-a] Paragraph 3" and not copy.automatic
    assert "We *support* it." in copy.text and "<em>support</em>" in copy.html
    target = read_reply_address(copy.headers["Reply-To"])
    topic_id = db.session.scalar(select(Topic.id))
    assert (target.user_id, target.kind, target.id) == (people["ben"].id, "thread", topic_id)
    assert copy.headers["X-Loop"] == "caucus-a@lists.localhost"


def test_a_reply_copy_threads_under_its_parent(caucus_people):
    body, people = caucus_people
    topic = services.start_topic(people["ana"], title="Agenda", text="Items?", body=body)
    db.session.flush()
    first = topic.messages[0]
    second = services.reply(people["ben"], topic, text="One.", parent=first)
    third = services.reply(people["ana"], topic, text="Two.", parent=second)
    db.session.commit()
    ids = {
        m: db.session.scalar(select(ListPost.rfc_message_id).where(ListPost.message_id == m.id))
        for m in (first, second, third)
    }
    (to_ben,) = [
        c for c in list_copies() if c.message_id == ids[third] and c.recipient == "ben@example.org"
    ]
    assert to_ben.headers["In-Reply-To"] == ids[second]
    assert to_ben.headers["References"] == f"{ids[first]} {ids[second]}"
    assert to_ben.subject == "Re: [caucus-a] Agenda"


def test_a_post_rolled_back_queues_nothing(caucus_people):
    body, people = caucus_people
    services.start_topic(people["ana"], title="Draft", text="Never mind.", body=body)
    db.session.rollback()
    assert list_copies() == []
    assert db.session.scalar(select(func.count(ListPost.id))) == 0


def test_a_document_discussion_is_not_a_list(caucus_people, make_document):
    _, people = caucus_people
    document = make_document()
    services.start_topic(people["ana"], title="On the text", text="Hm.", document=document)
    db.session.commit()
    assert list_copies() == []
    assert db.session.scalar(select(func.count(ListPost.id))) == 1  # it still has a Message-ID


def test_a_title_typed_with_line_breaks_cannot_add_headers(caucus_people):
    body, people = caucus_people
    services.start_topic(
        people["ana"], title="Hello\r\nBcc: victim@example.net\r\n", text="x", body=body
    )
    db.session.commit()
    built = build_message(list_copies()[0])
    assert built["Bcc"] is None
    assert built["Subject"] == "[caucus-a] Hello Bcc: victim@example.net"
    assert b"\nBcc:" not in built.as_bytes()


def test_the_recipients_query_agrees_with_mailable_and_wants_list_mail(caucus_people):
    body, people = caucus_people
    set_list_mail(people["cleo"], body.id, False)
    update_preferences(people["dan"], {"list_mail": False})
    db.session.add(MailAddress(email="ben@example.org", bounces=3, stopped_at=utcnow()))
    db.session.commit()
    members = [people[name] for name in ("ana", "ben", "cleo", "dan", "unverified", "pending")]
    expected = [
        (user.id, user.email)
        for user in members
        if is_member(user, body.id) and mailable(user) and wants_list_mail(user, body.id)
    ]
    assert recipients(body.id) == expected == [(people["ana"].id, "ana@example.org")]


def test_the_demo_archive_is_not_mailed(app):
    """`flask demo load` posts list threads (verified members) without mailing them."""
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(ListPost.id))) > 0  # threaded, with Message-IDs
    assert list_copies() == []
