"""Everything the list server refuses: an SMTP 5xx, nothing stored, and a word to known senders."""

import smtplib

import pytest
from sqlalchemy import select
from test_lists_support import counts, mail, send, verify

from app.extensions import db
from app.mail.addresses import reply_address
from app.mail.models import OutboxMail

LIST = "caucus-a@lists.localhost"


@pytest.fixture
def people(make_user, make_body):
    member = verify(make_user(email="member@example.org"))
    other_member = verify(make_user(email="other@example.org"))
    outsider = verify(make_user(email="outsider@example.org"))
    unverified = make_user(email="unverified@example.org")
    body = make_body(
        "Caucus A",
        kind="caucus",
        team_role=None,
        members=[member, other_member, unverified],
        slug="caucus-a",
    )
    return {
        "member": member,
        "other": other_member,
        "outsider": outsider,
        "unverified": unverified,
        "body": body,
    }


def explanations_to(address: str) -> list[OutboxMail]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(OutboxMail).where(
                OutboxMail.recipient == address, OutboxMail.kind == "list_refusal"
            )
        )
    )


def refused_at_data(port, message, **kwargs) -> tuple[int, str]:
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(port, message, **kwargs)
    return refused.value.smtp_code, refused.value.smtp_error.decode()


def refused_at_rcpt(port, message, to) -> tuple[int, str]:
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(port, message, to=to)
    code, text = refused.value.recipients[to]
    return code, text.decode()


def test_unknown_list_is_refused_and_a_known_sender_is_told(smtp_port, people):
    code, text = refused_at_rcpt(
        smtp_port,
        mail(sender="member@example.org", to="no-such-list@lists.localhost"),
        "no-such-list@lists.localhost",
    )
    assert (code, text.split()[0]) == (550, "5.1.1")
    assert counts() == (0, 0, 0)
    told = explanations_to("member@example.org")
    assert len(told) == 1 and "no-such-list@lists.localhost" in told[0].subject


def test_other_domains_are_not_relayed(smtp_port, people):
    code, text = refused_at_rcpt(
        smtp_port, mail(sender="member@example.org", to="x@example.com"), "x@example.com"
    )
    assert code == 550 and "Relaying denied" in text
    assert counts() == (0, 0, 0)


def test_non_member_is_refused_and_told_why(smtp_port, people):
    code, text = refused_at_data(smtp_port, mail(sender="outsider@example.org", to=LIST))
    assert code == 550 and text.startswith("5.7.1") and "members of Caucus A" in text
    assert counts() == (0, 0, 0)
    (told,) = explanations_to("outsider@example.org")
    assert "only members of Caucus A" in told.text and told.automatic


def test_unknown_sender_is_refused_without_mail(smtp_port, people):
    code, _ = refused_at_data(smtp_port, mail(sender="stranger@example.net", to=LIST))
    assert code == 550
    assert counts() == (0, 0, 0)
    assert explanations_to("stranger@example.net") == []


def test_unverified_sender_is_refused(smtp_port, people):
    code, text = refused_at_data(smtp_port, mail(sender="unverified@example.org", to=LIST))
    assert code == 550 and "Verify your address" in text
    assert counts() == (0, 0, 0)
    # Mail features wait for a verified address: nothing is mailed to it either.
    assert explanations_to("unverified@example.org") == []


def test_forged_reply_address_is_refused(smtp_port, people, post_topic_by_web):
    topic = post_topic_by_web(people["member"], people["body"])
    before = counts()
    genuine = reply_address(people["member"].id, f"thread:{topic.id}")
    local, domain = genuine.split("@")
    forged = local[:-4] + ("0000" if not local.endswith("0000") else "1111") + "@" + domain
    code, text = refused_at_rcpt(
        smtp_port, mail(sender="member@example.org", to=forged, subject="Re: x"), forged
    )
    assert code == 550 and "not valid" in text
    assert counts() == before


def test_reply_address_of_another_person_is_refused(smtp_port, people, post_topic_by_web):
    topic = post_topic_by_web(people["member"], people["body"])
    before = counts()
    theirs = reply_address(people["member"].id, f"thread:{topic.id}")
    code, text = refused_at_data(smtp_port, mail(sender="other@example.org", to=theirs))
    assert code == 550 and "another sender" in text
    assert counts() == before


AUTOMATIC = "5.7.1 Automatic"
LOOP = "5.4.6 Mail loop"


@pytest.mark.parametrize(
    ("headers", "answer"),
    [
        ({"Auto-Submitted": "auto-replied"}, AUTOMATIC),
        ({"Auto-Submitted": "auto-generated"}, AUTOMATIC),
        ({"Precedence": "bulk"}, AUTOMATIC),
        ({"Precedence": "list"}, AUTOMATIC),
        ({"Precedence": "junk"}, AUTOMATIC),
        ({"X-Autoreply": "yes"}, AUTOMATIC),
        ({"X-Autorespond": "Out of office"}, AUTOMATIC),
        ({"X-Auto-Response-Suppress": "All"}, AUTOMATIC),
        # Our own list mail coming back.
        ({"X-Loop": "caucus-a@lists.localhost"}, LOOP),
        ({"List-Id": '"Caucus A" <caucus-a.lists.localhost>'}, LOOP),
        ({"List-Id": "<other-body.lists.localhost>"}, LOOP),
    ],
)
def test_auto_replies_and_loops_are_refused_and_never_answered(smtp_port, people, headers, answer):
    code, text = refused_at_data(
        smtp_port, mail(sender="member@example.org", to=LIST, headers=headers)
    )
    assert code == 550 and text.startswith(answer)
    assert counts() == (0, 0, 0)
    assert explanations_to("member@example.org") == []


def test_bounces_with_an_empty_envelope_sender_are_refused(smtp_port, people):
    code, _ = refused_at_data(
        smtp_port, mail(sender="member@example.org", to=LIST), envelope_from=""
    )
    assert code == 550
    assert counts() == (0, 0, 0)


def test_a_message_without_text_is_refused(smtp_port, people):
    code, _ = refused_at_data(smtp_port, mail(sender="member@example.org", to=LIST, text="  \n"))
    assert code == 550
    assert counts() == (0, 0, 0)
    assert len(explanations_to("member@example.org")) == 1


def test_one_recipient_per_transaction(smtp_port, people):
    message = mail(sender="member@example.org", to=LIST)
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as client:
        client.ehlo()
        client.mail("member@example.org")
        assert client.rcpt(LIST)[0] == 250
        assert client.rcpt("caucus-b@lists.localhost")[0] == 452
        assert client.data(message.as_bytes())[0] == 250
    assert counts()[0] == 1


@pytest.fixture
def post_topic_by_web(app):
    from app.discussion import services

    def factory(user, body, title="A web topic", text="Posted on the web."):
        topic = services.start_topic(user, title=title, text=text, body=body)
        db.session.commit()
        return topic

    return factory


def test_a_post_the_archive_would_refuse_is_refused_with_its_reason(smtp_port, people):
    code, text = refused_at_data(
        smtp_port, mail(sender="member@example.org", to=LIST, text="word " * 12_000)
    )
    assert (code, text.split()[0]) == (550, "5.6.0") and "50,000 characters" in text
    assert counts() == (0, 0, 0)
    (told,) = explanations_to("member@example.org")
    assert "50,000 characters" in told.text
