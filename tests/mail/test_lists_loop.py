"""The whole loop over real SMTP both ways: web post -> list mail in the sink -> reply by mail."""

from email.message import EmailMessage
from urllib.parse import urlsplit

from sqlalchemy import select
from test_lists_support import send, verify

from app.discussion import services
from app.discussion.models import Message
from app.extensions import db
from app.mail.delivery import deliver_batch


def drain():
    while deliver_batch():
        pass


def reply_to(received: EmailMessage, *, sender: str, text: str) -> EmailMessage:
    """What a mail client makes of "Reply": To the Reply-To, threaded under the mail answered."""
    answer = EmailMessage()
    answer["From"] = sender
    answer["To"] = received["Reply-To"]
    answer["Subject"] = "Re: " + received["Subject"]
    answer["Message-ID"] = "<answer.1@mail.example.org>"
    answer["In-Reply-To"] = received["Message-ID"]
    answer["References"] = (received.get("References", "") + " " + received["Message-ID"]).strip()
    quoted = "\n".join(
        "> " + line for line in received.get_body(("plain",)).get_content().splitlines()
    )
    answer.set_content(f"{text}\n\nOn Monday, the list wrote:\n{quoted}\n")
    return answer


def test_web_post_to_list_mail_to_reply_by_mail_in_the_same_thread(
    app, smtp_sink, smtp_port, make_user, make_body, client
):
    ana = verify(make_user(email="ana@example.org", name="Ana"))
    ben = verify(make_user(email="ben@example.org", name="Ben"))
    body = make_body("Caucus A", kind="caucus", team_role=None, members=[ana, ben], slug="caucus-a")
    drain()
    smtp_sink.received.clear()

    topic = services.start_topic(ana, title="Paragraph 3", text="We support it.", body=body)
    db.session.commit()
    drain()

    (received,) = smtp_sink.messages("ben@example.org")
    assert smtp_sink.messages("ana@example.org") == []  # the author does not get a copy
    assert received["List-Id"] == '"Caucus A" <caucus-a.lists.localhost>'
    assert received["List-Post"] == "<mailto:caucus-a@lists.localhost>"
    assert received["List-Archive"] == "<http://localhost/bodies/caucus-a/discussions>"
    # (A long header may be folded right after its colon: compare without the fold's blank.)
    assert received["List-Unsubscribe"].strip().startswith("<http://localhost/mail/unsubscribe/")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["Precedence"] == "list"
    assert received["Subject"] == "[caucus-a] Paragraph 3"
    assert received["Reply-To"].startswith("reply+u")
    assert "Ana via Caucus A" in received["From"]
    assert "We support it." in received.get_body(("plain",)).get_content()
    assert received.get_body(("html",)) is not None

    send(smtp_port, reply_to(received, sender="ben@example.org", text="So do we."))
    db.session.rollback()
    posts = db.session.scalars(
        select(Message).where(Message.topic_id == topic.id).order_by(Message.id)
    ).all()
    assert [p.author_id for p in posts] == [ana.id, ben.id]
    assert posts[1].parent_id == posts[0].id

    # The archive shows Ben's words and folds the quote away, keeping it in the page.
    page = client.get(f"/discussions/{topic.id}").get_data(as_text=True)
    assert "So do we." in page and '<details class="mail-fold mail-quote">' in page

    # Ana gets Ben's reply, threaded under her post in her mail client.
    drain()
    (copy,) = smtp_sink.messages("ana@example.org")
    assert copy["In-Reply-To"] == received["Message-ID"]
    assert copy["Message-ID"] == "<answer.1@mail.example.org>"
    assert copy["Subject"] == "Re: [caucus-a] Paragraph 3"

    # One click, no login: Ben stops this list's mail.
    url = urlsplit(received["List-Unsubscribe"].strip(" <>"))
    assert client.post(url.path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    services.reply(ana, topic, text="Thanks, Ben.")
    db.session.commit()
    smtp_sink.received.clear()
    drain()
    after = smtp_sink.messages("ben@example.org")
    assert [m for m in after if m["List-Id"]] == []  # no more list copies
    # What is left is the notice of a reply in the thread he took part in (he follows it).
    assert [m["X-Agora-Kind"] for m in after] == ["reply"]
