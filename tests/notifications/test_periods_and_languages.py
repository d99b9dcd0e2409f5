"""Amendment periods that close at a date (reminder a day before, then closed by the worker's
scheduler), and notifications and mail in each reader's interface language."""

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.amendments.proceedings import set_amendment_period
from app.amendments.services import propose_amendment
from app.core import signals
from app.core.errors import Conflict, ValidationError
from app.core.timeutil import utcnow
from app.discussion import services
from app.extensions import db
from app.mail.account import request_password_reset
from app.mail.lists import explain
from app.mail.models import OutboxMail
from app.notifications.cli import schedule_amendment_periods
from app.notifications.messages import text_of, title_of
from app.notifications.models import Notification
from app.notifications.queries import follow_of
from app.notifications.services import follow, update_preferences

ARABIC = re.compile(r"[\u0600-\u06ff]")


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def _verified(make_user, language=None, **kwargs):
    user = make_user(**kwargs)
    user.email_verified_at = utcnow()
    user.ui_language = language
    db.session.commit()
    return user


def _period_titles(user) -> list[str]:
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id, Notification.kind == "amendment_period")
        .order_by(Notification.id)
    )
    return [row.args["title"] for row in rows]


def _mails_to(user, kind_prefix="notification") -> list[OutboxMail]:
    return list(
        db.session.scalars(
            select(OutboxMail)
            .where(OutboxMail.recipient == user.email, OutboxMail.kind.like(f"{kind_prefix}%"))
            .order_by(OutboxMail.id)
        )
    )


def _propose(document, user):
    key = document.current_version.paragraphs[1].key
    amendment = propose_amendment(
        document,
        user,
        kind="modify",
        paragraph=key,
        text="Every group takes part.",
        rationale="Clearer.",
    )
    db.session.commit()
    return amendment


# --- amendment periods with a closing date ---------------------------------------------------


def test_followers_are_reminded_once_a_day_before_and_told_when_it_closes(
    app, make_user, make_document
):
    coordinator, follower = make_user(admin=True), _verified(make_user)
    document = make_document(status="drafting")
    follow(follower.id, "document", document.id)
    db.session.commit()
    start = utcnow()
    set_amendment_period(document, coordinator, open_=True, closes_at=start + timedelta(days=3))
    db.session.commit()
    assert _period_titles(follower) == ["period_opened"]
    assert "until" in _mails_to(follower)[0].text

    # The clock the scheduler is given moves on; no sleeping.
    schedule_amendment_periods(start + timedelta(days=1))
    assert _period_titles(follower) == ["period_opened"]
    for hours in (49, 50, 71):  # three rounds of the worker within the last day
        schedule_amendment_periods(start + timedelta(hours=hours))
    assert _period_titles(follower) == ["period_opened", "period_closing"]
    assert document.status == "open"
    assert len(_mails_to(follower)) == 2

    schedule_amendment_periods(start + timedelta(days=3, minutes=1))
    schedule_amendment_periods(start + timedelta(days=3, minutes=2))
    db.session.refresh(document)
    assert document.status == "closed"
    assert _period_titles(follower) == ["period_opened", "period_closing", "period_closed"]


def test_reopening_with_a_new_date_makes_the_reminder_due_again(app, make_user, make_document):
    coordinator, follower = make_user(admin=True), make_user()
    document = make_document(status="drafting")
    follow(follower.id, "document", document.id)
    start = utcnow()
    set_amendment_period(document, coordinator, open_=True, closes_at=start + timedelta(hours=30))
    db.session.commit()
    schedule_amendment_periods(start + timedelta(hours=7))
    set_amendment_period(document, coordinator, open_=True, closes_at=start + timedelta(days=5))
    db.session.commit()
    assert document.close_reminder_at is None
    schedule_amendment_periods(start + timedelta(days=4, hours=1))
    assert _period_titles(follower).count("period_closing") == 2


def test_a_period_past_its_date_takes_no_amendment_before_the_worker_runs(
    app, make_user, make_document
):
    document = make_document()
    document.amendments_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        _propose(document, make_user())
    assert refused.value.code == "document_closed"


def test_closing_date_must_be_in_the_future(app, make_user, make_document):
    document = make_document(status="drafting")
    with pytest.raises(ValidationError):
        set_amendment_period(
            document, make_user(admin=True), open_=True, closes_at=utcnow() - timedelta(hours=1)
        )


def test_closing_date_by_api(app, client, make_user, make_token, make_document):
    document = make_document(slug="declaration", status="drafting")
    token = make_token(make_user(admin=True))
    url = "/api/documents/declaration/amendment-period"
    response = client.post(
        url, json={"open": True, "closes_at": "2099-12-01T18:00Z"}, headers=_auth(token)
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "document": "declaration",
        "status": "open",
        "closes_at": "2099-12-01T18:00:00Z",
    }
    for bad in (
        {"open": True, "closes_at": "2000-01-01T00:00Z"},
        {"open": True, "closes_at": "next week"},
        {"open": True, "closes_at": 5},
        {"closes_at": "2099-12-01T18:00Z"},
    ):
        response = client.post(url, json=bad, headers=_auth(token))
        assert response.status_code == 400, bad
        assert "error" in response.get_json()
    other = make_token(make_user())
    assert client.post(url, json={"open": False}, headers=_auth(other)).status_code == 403
    response = client.post(url, json={"open": False}, headers=_auth(token))
    assert response.get_json()["status"] == "closed"
    db.session.refresh(document)
    assert document.status == "closed"


def test_closing_date_from_the_page_is_shown_on_the_document(
    app, client, login, make_user, make_document
):
    make_document(slug="declaration", status="drafting")
    login(client, make_user(admin=True))
    page = client.get("/documents/declaration/amendments").get_data(as_text=True)
    assert 'name="closes_at"' in page
    response = client.post(
        "/documents/declaration/amendment-period",
        data={"period": "open", "closes_at": "2099-06-30T12:00"},
    )
    assert response.status_code == 302
    page = client.get("/documents/declaration").get_data(as_text=True)
    assert "Amendments until" in page and "2099" in page
    client.post(
        "/documents/declaration/amendment-period", data={"period": "open", "closes_at": "soon"}
    )
    page = client.get("/documents/declaration/amendments").get_data(as_text=True)
    assert "closes_at is a date and time" in page


# --- each reader's language ------------------------------------------------------------------


def test_followers_get_notification_mail_in_their_own_language(app, make_user, make_document):
    arabic = _verified(make_user, "ar")
    french = _verified(make_user, "fr")
    english = _verified(make_user)
    document = make_document(title="Declaration")
    for user in (arabic, french, english):
        follow(user.id, "document", document.id)
    db.session.commit()
    amendment = _propose(document, make_user())

    (ar_mail,) = _mails_to(arabic)
    assert ARABIC.search(ar_mail.subject) and "Declaration" in ar_mail.subject
    assert 'dir="rtl"' in ar_mail.html and 'lang="ar"' in ar_mail.html
    assert ARABIC.search(ar_mail.text)
    (fr_mail,) = _mails_to(french)
    assert fr_mail.subject == f"Nouvel amendement n° {amendment.id} à Declaration"
    assert 'dir="ltr"' in fr_mail.html and "Modifier ce que vous recevez" in fr_mail.text
    (en_mail,) = _mails_to(english)
    assert en_mail.subject == f"New amendment #{amendment.id} to Declaration"


def test_titles_are_rendered_for_whoever_reads_them(
    app, client, login, make_user, make_token, make_document
):
    reader = make_user()
    document = make_document(title="Declaration")
    follow(reader.id, "document", document.id)
    db.session.commit()
    amendment = _propose(document, make_user())
    token = make_token(reader)
    listed = client.get(
        "/api/me/notifications", headers={**_auth(token), "Accept-Language": "es"}
    ).get_json()["notifications"]
    assert listed[0]["title"] == f"Nueva enmienda n.º {amendment.id} a Declaration"
    listed = client.get("/api/me/notifications", headers=_auth(token)).get_json()["notifications"]
    assert listed[0]["title"] == f"New amendment #{amendment.id} to Declaration"
    reader.ui_language = "ru"
    db.session.commit()
    login(client, reader)
    page = client.get("/notifications").get_data(as_text=True)
    assert f"Новая поправка № {amendment.id}" in page


def test_rows_from_before_keep_their_english_title(app, client, make_user, make_token):
    reader = make_user()
    db.session.add(
        Notification(user_id=reader.id, kind="version", title="Old title", text="Old", url="/")
    )
    db.session.commit()
    listed = client.get(
        "/api/me/notifications", headers={**_auth(make_token(reader)), "Accept-Language": "fr"}
    ).get_json()["notifications"]
    assert (listed[0]["title"], listed[0]["text"]) == ("Old title", "Old")


def test_fixed_texts_and_codes_are_translated_but_what_people_wrote_is_not(
    app, make_user, make_document
):
    proposer = make_user()
    document = make_document(title="Declaration")
    amendment = _propose(document, proposer)
    signals.amendment_decided.send(
        amendment, actor=None, decision="rejected", reason="Hors sujet.", before="proposed"
    )
    row = db.session.scalar(select(Notification).where(Notification.kind == "amendment_decided"))
    with force_locale("fr"):
        assert title_of(row) == f"Amendement n° {amendment.id} à Declaration : Rejeté"
        assert text_of(row) == "Motif : Hors sujet."
    assert row.title.endswith(": Rejected") and row.text == "Reason: Hors sujet."


def test_daily_digest_is_in_the_readers_language(app, runner, make_user, make_document):
    reader = _verified(make_user, "ru")
    update_preferences(reader, {"email": "daily"})
    document = make_document()
    follow(reader.id, "document", document.id)
    db.session.commit()
    _propose(document, make_user())
    runner.invoke(args=["mail", "digest", "daily"])
    (digest,) = _mails_to(reader, "digest")
    assert digest.subject == "Ваша ежедневная сводка: 1 уведомление"


def test_account_mail_is_in_the_persons_language(app, make_user):
    user = make_user(email="sp@example.org")
    user.ui_language = "es"
    db.session.commit()
    request_password_reset("sp@example.org")
    db.session.commit()
    (mail,) = _mails_to(user, "account:reset")
    assert mail.subject == "Restablezca su contraseña"
    assert mail.text.startswith(f"Hola, {user.name}:")
    assert 'lang="es"' in mail.html


def test_list_refusal_is_explained_in_the_senders_language(app, make_user):
    sender = _verified(make_user, "zh")
    explain(user=sender, subject="Hello", reason=_l("It has no text to post."))
    db.session.commit()
    (mail,) = _mails_to(sender, "list_refusal")
    assert mail.subject == "您发给列表的邮件：Hello"
    assert "该邮件没有可发布的文本。" in mail.text and "关于您的邮件“Hello”：" in mail.text


def test_list_posts_stay_as_written_around_each_members_language(app, make_user, make_body):
    author = _verified(make_user)
    arabic, french = _verified(make_user, "ar"), _verified(make_user, "fr")
    body = make_body("Caucus A", kind="caucus", team_role=None, members=[author, arabic, french])
    services.start_topic(author, title="Paragraph 3", text="We support paragraph 3.", body=body)
    db.session.commit()
    (ar_copy,) = _mails_to(arabic, "list")
    (fr_copy,) = _mails_to(french, "list")
    for copy in (ar_copy, fr_copy):
        assert "We support paragraph 3." in copy.text and copy.subject.endswith("Paragraph 3")
    assert "الأرشيف العام" in ar_copy.text and 'dir="rtl"' in ar_copy.html
    assert "Ce message dans l’archive publique" in fr_copy.text and 'dir="ltr"' in fr_copy.html
    assert fr_copy.headers["List-Unsubscribe"] != ar_copy.headers["List-Unsubscribe"]


def test_thread_page_has_a_follow_button(app, client, login, make_user, make_body):
    user = make_user()
    body = make_body("Caucus A", kind="caucus", team_role=None, members=[user])
    topic = services.start_topic(make_user(), title="Agenda", text="First.", body=body)
    db.session.commit()
    login(client, user)
    page = client.get(f"/discussions/{topic.id}").get_data(as_text=True)
    assert 'name="kind" value="thread"' in page and 'data-follow="off"' in page
    response = client.post(
        "/follow", data={"kind": "thread", "id": str(topic.id), "next": f"/discussions/{topic.id}"}
    )
    assert response.status_code == 302
    assert follow_of(user.id, "thread", topic.id) is not None
    page = client.get(f"/discussions/{topic.id}").get_data(as_text=True)
    assert 'data-follow="on"' in page
