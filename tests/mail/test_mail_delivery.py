"""The outbox and its worker against a real SMTP sink: the whole loop, failures and crashes."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.core import signals
from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.delivery import CLAIM_LEASE, claim_batch, deliver_batch
from app.mail.models import FAILED, QUEUED, SENDING, SENT, MailAddress, OutboxMail
from app.mail.outbox import mailable, queue_mail
from app.notifications.models import Follow, Notification
from app.notifications.services import follow


@pytest.fixture
def verified(make_user):
    def factory(**kwargs):
        user = make_user(**kwargs)
        user.email_verified_at = utcnow()
        db.session.commit()
        return user

    return factory


def _drain():
    """Send everything queued so far (the verification mails of new accounts included)."""
    while deliver_batch():
        pass


def _propose(document, user, text="All parties guarantee access to information."):
    from app.amendments.services import propose_amendment

    key = document.current_version.paragraphs[1].key
    amendment = propose_amendment(
        document, user, kind="modify", paragraph=key, text=text, rationale="Clearer."
    )
    db.session.commit()
    return amendment


def test_follow_event_mail_arrives_with_list_headers_and_two_parts(
    app, smtp_sink, verified, make_document, client
):
    reader = verified(email="reader@example.org")
    proposer = verified(email="proposer@example.org")
    document = make_document()
    follow(reader.id, "document", document.id)
    db.session.commit()
    _drain()
    smtp_sink.received.clear()

    amendment = _propose(document, proposer)
    _drain()

    mails = smtp_sink.messages("reader@example.org")
    assert len(mails) == 1
    mail = mails[0]
    assert f"amendment #{amendment.id}" in mail["Subject"]
    assert mail["Message-ID"].endswith("@lists.localhost>")
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["List-Unsubscribe"].strip().startswith("<http://localhost/mail/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["Reply-To"].startswith("reply+u")
    assert mail.get_body(("plain",)).get_content().count(f"/amendments/{amendment.id}") >= 1
    assert "<strong>" in mail.get_body(("html",)).get_content()
    # The proposer acted: nobody mails people about their own doing.
    assert smtp_sink.messages("proposer@example.org") == []
    # The row is marked sent once, never sent again.
    assert deliver_batch() == 0


def test_one_click_unsubscribe_needs_no_login_and_stops_that_follows_mail(
    app, smtp_sink, verified, make_document, client
):
    reader = verified(email="reader@example.org")
    proposer = verified()
    document = make_document()
    follow(reader.id, "document", document.id)
    db.session.commit()
    _propose(document, proposer)
    _drain()
    link = smtp_sink.messages("reader@example.org")[-1]["List-Unsubscribe"].strip().strip("<>")
    path = link.removeprefix("http://localhost")

    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert db.session.scalar(select(Follow.mail_muted).where(Follow.user_id == reader.id))

    smtp_sink.received.clear()
    _propose(document, proposer, text="Every party guarantees access to information.")
    _drain()
    assert smtp_sink.messages("reader@example.org") == []
    # Still told in the app.
    assert (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == reader.id)
        )
        == 2
    )


def test_forged_unsubscribe_token_changes_nothing(app, client):
    response = client.post("/mail/unsubscribe/not-a-token")
    assert response.status_code == 404


def test_killed_worker_neither_loses_nor_duplicates(app, smtp_sink):
    """Sent, then killed before marking: the lease expires, the resend carries the same ids."""
    for n in range(3):
        queue_mail(to=f"p{n}@example.org", subject=f"Hello {n}", text="Body")
    db.session.commit()

    # A worker claims and sends, then dies before it records anything.
    from app.mail.delivery import _Transport

    claimed = claim_batch()
    transport = _Transport(app.config["MAIL_URL"], app.config["MAIL_DIR"])
    transport.send(claimed[0])
    transport.send(claimed[1])
    transport.close()
    db.session.rollback()
    db.session.expire_all()
    assert set(db.session.scalars(select(OutboxMail.status))) == {SENDING}

    # Another worker does not take a live claim ...
    assert deliver_batch() == 0
    # ... but takes the rows once the lease has passed.
    db.session.execute(update(OutboxMail).values(claimed_at=utcnow() - CLAIM_LEASE - timedelta(1)))
    db.session.commit()
    assert deliver_batch() == 3
    assert set(db.session.scalars(select(OutboxMail.status))) == {SENT}

    ids = {m.recipient: m.message_id for m in db.session.scalars(select(OutboxMail))}
    unique = smtp_sink.unique()
    assert set(unique) == {(mid, rcpt) for rcpt, mid in ids.items()}  # nothing lost
    assert len(smtp_sink.received) == 5  # two resent with the same Message-ID, droppable
    assert deliver_batch() == 0  # and nothing more, ever


def test_two_workers_never_claim_the_same_row(app):
    for n in range(5):
        queue_mail(to=f"p{n}@example.org", subject="x", text="y")
    db.session.commit()
    first = {m.id for m in claim_batch(3)}
    second = {m.id for m in claim_batch(3)}
    assert len(first) == 3 and len(second) == 2 and not first & second


def test_permanent_refusal_fails_and_repeated_bounces_stop_the_address(app, smtp_sink, verified):
    user = verified(email="gone@example.org")
    _drain()
    smtp_sink.received.clear()
    smtp_sink.refuse["gone@example.org"] = "550 5.1.1 No such user"
    for n in range(app.config["MAIL_BOUNCE_LIMIT"]):
        queue_mail(to=user.email, user_id=user.id, subject=f"n{n}", text="x")
        db.session.commit()
        deliver_batch()
    rows = list(
        db.session.scalars(
            select(OutboxMail).where(
                OutboxMail.recipient == user.email, OutboxMail.kind != "account:verify"
            )
        )
    )
    assert len(rows) == app.config["MAIL_BOUNCE_LIMIT"]
    assert all(row.status == FAILED for row in rows)
    assert db.session.get(MailAddress, "gone@example.org").stopped_at is not None
    assert not mailable(user)
    # Nothing more goes to that address.
    smtp_sink.refuse.clear()
    queue_mail(to=user.email, subject="again", text="x")
    db.session.commit()
    deliver_batch()
    assert smtp_sink.messages("gone@example.org") == []


def test_temporary_refusal_is_retried_later_with_backoff(app, smtp_sink):
    smtp_sink.refuse["busy@example.org"] = "451 4.3.0 Try again later"
    mail = queue_mail(to="busy@example.org", subject="x", text="y")
    db.session.commit()
    deliver_batch()
    db.session.refresh(mail)
    assert mail.status == QUEUED and mail.attempts == 1
    assert mail.next_attempt_at > utcnow()
    assert deliver_batch() == 0  # not due yet
    smtp_sink.refuse.clear()
    mail.next_attempt_at = utcnow()
    db.session.commit()
    deliver_batch()
    db.session.refresh(mail)
    assert mail.status == SENT
    assert len(smtp_sink.messages("busy@example.org")) == 1


def test_without_mail_url_mail_is_written_as_eml_and_admins_read_it(
    app, tmp_path, make_user, login, client
):
    app.config["MAIL_URL"] = None
    app.config["MAIL_DIR"] = str(tmp_path / "mail")
    admin = make_user(admin=True)
    other = make_user()
    queue_mail(to="someone@example.org", subject="Hello there", text="A body")
    db.session.commit()
    _drain()
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 3  # two verification mails and ours
    login(client, other)
    assert client.get("/admin/mail").status_code == 403
    login(client, admin)
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "Hello there" in page
    name = next(f.name for f in files if b"Hello there" in f.read_bytes())
    assert "A body" in client.get(f"/admin/mail/{name}").get_data(as_text=True)
    assert client.get("/admin/mail/../../secret_key").status_code == 404


def test_subject_typed_on_the_web_cannot_inject_headers(
    app, smtp_sink, verified, make_body, login, client
):
    reader = verified(email="reader@example.org")
    writer = verified(email="writer@example.org")
    body = make_body("Gender caucus", kind="thematic_caucus", team_role=None, members=[writer])
    follow(reader.id, "body", body.id)
    db.session.commit()
    _drain()
    smtp_sink.received.clear()
    login(client, writer)
    evil = "Hello\r\nBcc: victim@example.org\r\nX-Evil: 1"
    response = client.post(
        f"/bodies/{body.slug}/discussions/new",
        data={"title": evil, "text": "A first post."},
    )
    assert response.status_code in (302, 303)
    _drain()
    assert len(smtp_sink.messages("reader@example.org")) == 1
    for rcpts, message in smtp_sink.received:
        assert "victim@example.org" not in rcpts
        assert message["Bcc"] is None and message["X-Evil"] is None
        assert "\n" not in message["Subject"]


def test_event_and_mail_roll_back_together(app, verified, make_document):
    """The outbox row lives in the event's transaction: no event, no mail."""
    reader = verified()
    document = make_document()
    follow(reader.id, "document", document.id)
    db.session.commit()
    before = db.session.scalar(select(func.count(OutboxMail.id)))
    signals.amendment_period_changed.send(document, actor=None, opened=False)
    db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxMail.id))) == before
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_worker_command_once_sends_everything_and_stops(app, runner, smtp_sink):
    for n in range(3):
        queue_mail(to=f"p{n}@example.org", subject=f"n{n}", text="x")
    db.session.commit()
    result = runner.invoke(args=["mail", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "3 message(s) handled" in result.output
    assert "smtp://127.0.0.1" in result.output
    assert len(smtp_sink.received) == 3
