"""Posting by mail: a new thread, replies threaded by Message-ID, reply addresses, retries."""

from sqlalchemy import select
from test_lists_support import counts, mail, send

from app.discussion import services
from app.discussion.models import Message, Topic
from app.extensions import db
from app.mail.addresses import reply_address
from app.mail.list_models import ListPost
from app.mail.models import OutboxMail

LIST = "caucus-a@lists.localhost"


def only_topic() -> Topic:
    db.session.rollback()
    (topic,) = db.session.scalars(select(Topic)).all()
    return topic


def post_of(message: Message) -> ListPost:
    return db.session.scalar(select(ListPost).where(ListPost.message_id == message.id))


def test_a_mail_to_the_list_starts_a_thread(smtp_port, caucus, client):
    body, ana, _ = caucus
    message = mail(
        sender="Ana <ANA@example.org>",
        to=LIST,
        subject="Re: [caucus-a] Our position on paragraph 3",
        text="We support the text.\n\nAna",
    )
    assert send(smtp_port, message) == {}
    topic = only_topic()
    assert topic.body_id == body.id and topic.title == "Our position on paragraph 3"
    (first,) = topic.messages
    assert first.author_id == ana.id and first.text == "We support the text.\n\nAna"
    stored = post_of(first)
    assert stored.via_mail and stored.rfc_message_id == message["Message-ID"]
    assert "Subject: Re: [caucus-a] Our position" in stored.headers
    # Same permalink as a web post, public archive.
    page = client.get(f"/messages/{first.id}")
    assert page.status_code == 302 and page.location.endswith(
        f"/discussions/{topic.id}#m-{first.id}"
    )
    archive = client.get("/bodies/caucus-a/discussions")
    assert "Our position on paragraph 3" in archive.get_data(as_text=True)


def test_a_reply_by_mail_is_threaded_under_the_web_post_it_answers(smtp_port, caucus):
    body, ana, ben = caucus
    topic = services.start_topic(ana, title="Agenda", text="Items?", body=body)
    db.session.flush()
    reply = services.reply(ana, topic, text="Item one.")
    db.session.commit()
    answered = post_of(reply).rfc_message_id
    first_id = post_of(topic.messages[0]).rfc_message_id
    message = mail(
        sender="ben@example.org",
        to=LIST,
        subject="Re: [caucus-a] Agenda",
        text="Agreed.\n\nOn Monday, Ana wrote:\n> Item one.",
        headers={"In-Reply-To": answered, "References": f"{first_id} {answered}"},
    )
    send(smtp_port, message)
    db.session.rollback()
    latest = db.session.scalar(select(Message).order_by(Message.id.desc()).limit(1))
    assert latest.topic_id == topic.id and latest.parent_id == reply.id
    assert latest.author_id == ben.id
    assert "> Item one." in latest.text  # the full message is kept
    assert counts()[0] == 1


def test_references_thread_a_reply_whose_parent_is_unknown(smtp_port, caucus):
    body, ana, _ = caucus
    topic = services.start_topic(ana, title="Agenda", text="Items?", body=body)
    db.session.commit()
    first_id = post_of(topic.messages[0]).rfc_message_id
    send(
        smtp_port,
        mail(
            sender="ben@example.org",
            to=LIST,
            subject="Re: Agenda",
            headers={"In-Reply-To": "<lost@elsewhere>", "References": f"{first_id} <lost@x>"},
        ),
    )
    assert counts()[:2] == (1, 2)


def test_a_reply_to_a_thread_of_another_list_starts_a_new_thread(smtp_port, caucus, make_body):
    body, ana, _ = caucus
    other = make_body("Caucus B", kind="caucus", team_role=None, members=[ana], slug="caucus-b")
    topic = services.start_topic(ana, title="Elsewhere", text="x", body=other)
    db.session.commit()
    elsewhere = post_of(topic.messages[0]).rfc_message_id
    send(smtp_port, mail(sender="ana@example.org", to=LIST, headers={"In-Reply-To": elsewhere}))
    assert counts()[0] == 2


def test_replying_through_the_signed_reply_address(smtp_port, caucus):
    body, ana, ben = caucus
    topic = services.start_topic(ana, title="Agenda", text="Items?", body=body)
    db.session.commit()
    address = reply_address(ben.id, f"thread:{topic.id}")
    send(smtp_port, mail(sender="ben@example.org", to=address, subject="Re: whatever"))
    db.session.rollback()
    messages = db.session.scalars(select(Message).where(Message.topic_id == topic.id)).all()
    assert [m.author_id for m in messages] == [ana.id, ben.id]
    assert messages[1].parent_id == messages[0].id


def test_the_same_mail_twice_is_posted_once(smtp_port, caucus):
    message = mail(sender="ana@example.org", to=LIST)
    send(smtp_port, message)
    send(smtp_port, message)
    assert counts() == (1, 1, 1)


def test_attachments_are_not_published_and_the_sender_is_told(smtp_port, caucus):
    message = mail(sender="ana@example.org", to=LIST, text="See the attached draft.")
    message.add_attachment(
        b"%PDF-1.4 secret", maintype="application", subtype="pdf", filename="draft.pdf"
    )
    send(smtp_port, message)
    topic = only_topic()
    (first,) = topic.messages
    assert first.text == "See the attached draft." and "PDF" not in first.text
    assert post_of(first).attachments == "draft.pdf"
    notices = db.session.scalars(
        select(OutboxMail).where(
            OutboxMail.recipient == "ana@example.org", OutboxMail.kind == "list_refusal"
        )
    ).all()
    assert len(notices) == 1 and "draft.pdf" in notices[0].text


def test_a_mailed_post_is_mailed_to_the_other_members(smtp_port, caucus):
    body, ana, ben = caucus
    send(smtp_port, mail(sender="ana@example.org", to=LIST, subject="Hello all"))
    db.session.rollback()
    copies = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "list")).all()
    assert [c.recipient for c in copies] == ["ben@example.org"]
    stored = db.session.scalar(select(ListPost))
    assert copies[0].message_id == stored.rfc_message_id
    assert copies[0].subject == "[caucus-a] Hello all"


def test_the_archive_names_the_list_address(caucus, client):
    page = client.get("/bodies/caucus-a/discussions").get_data(as_text=True)
    assert 'href="mailto:caucus-a@lists.localhost"' in page


def test_the_archive_folds_quotes_and_signatures_of_mailed_posts_only(smtp_port, caucus, client):
    body, ana, _ = caucus
    text = "My answer.\n\nOn Monday, Ben wrote:\n> His point.\n\n-- \nAna, Caucus A"
    send(smtp_port, mail(sender="ana@example.org", to=LIST, text=text))
    topic = only_topic()
    services.reply(ana, topic, text="On the web:\n\n> a quote typed on the web")
    db.session.commit()
    page = client.get(f"/discussions/{topic.id}").get_data(as_text=True)
    assert page.count('<details class="mail-fold mail-quote">') == 1
    assert (
        '<details class="mail-fold mail-signature"><summary>Signature</summary><pre>-- \nAna, Caucus A</pre>'
        in page
    )
    assert "His point." in page  # folded, not dropped
    assert "<blockquote>\n<p>a quote typed on the web</p>" in page
    assert topic.messages[0].text == text  # the full message is kept


def test_replying_to_a_body_notification_starts_a_thread_in_its_list(smtp_port, caucus):
    body, ana, _ = caucus
    address = reply_address(ana.id, f"body:{body.id}")
    send(smtp_port, mail(sender="ana@example.org", to=address, subject="Re: New member"))
    topic = only_topic()
    assert (topic.body_id, topic.title, topic.author_id) == (body.id, "New member", ana.id)


def test_replying_to_a_document_notification_opens_a_thread_in_its_discussion(
    smtp_port, caucus, make_document
):
    _, ana, _ = caucus
    document = make_document()
    address = reply_address(ana.id, f"document:{document.id}")
    send(smtp_port, mail(sender="ana@example.org", to=address, subject="Re: Rev.2 is out"))
    topic = only_topic()
    assert (topic.document_id, topic.body_id, topic.title) == (document.id, None, "Rev.2 is out")


def test_replying_to_an_amendment_notification_comments_with_the_own_words_only(
    smtp_port, caucus, make_document
):
    from app.amendments.models import AmendmentComment
    from app.amendments.services import propose_amendment

    _, ana, ben = caucus
    document = make_document()
    key = document.current_version.paragraphs[1].key
    amendment = propose_amendment(
        document, ana, kind="modify", paragraph=key, text="Equal access.", rationale="Clearer."
    )
    db.session.commit()
    address = reply_address(ben.id, f"amendment:{amendment.id}")
    text = "I support this.\n\nOn Monday, Agora wrote:\n> Ana proposed an amendment\n\n-- \nBen"
    answer = send(smtp_port, mail(sender="ben@example.org", to=address, text=text))
    assert answer == {}
    db.session.rollback()
    (comment,) = db.session.scalars(select(AmendmentComment)).all()
    assert (comment.author_id, comment.text) == (ben.id, "I support this.")
    assert counts() == (0, 0, 0)
