"""Hostile and broken mail: malformed MIME, wrong charsets, 10 MB, HTML with script. No crash."""

import smtplib
from email.policy import SMTP

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from test_lists_support import counts, mail, send

from app.discussion.models import Message
from app.extensions import db
from app.mail import inbound

LIST = "caucus-a@lists.localhost"


def raw(body: str, *, headers: str = "", content_type: str = "text/plain") -> bytes:
    return (
        "From: ana@example.org\r\nTo: caucus-a@lists.localhost\r\nSubject: Test\r\n"
        f"Message-ID: <raw.{abs(hash(body))}@example.org>\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: {content_type}\r\n{headers}\r\n{body}"
    ).encode("utf-8", "surrogateescape")


def send_raw(port: int, data: bytes) -> int:
    """The SMTP code the server answers to DATA (250 when posted)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        client.ehlo()
        client.mail("ana@example.org")
        client.rcpt(LIST)
        code, _ = client.data(data)
        return code


def last_text() -> str:
    db.session.rollback()
    return db.session.scalar(select(Message.text).order_by(Message.id.desc()).limit(1))


@pytest.mark.parametrize(
    "data",
    [
        # A multipart whose closing boundary never comes.
        raw(
            "--b\r\nContent-Type: text/plain\r\n\r\nUnclosed part\r\n",
            content_type='multipart/mixed; boundary="b"',
        ),
        # A multipart without a boundary parameter at all.
        raw("Lost boundary text\r\n", content_type="multipart/alternative"),
        # Broken base64 and a broken encoded-word in the subject.
        raw(
            "SGVsbG8gd29ybGQ*!!",
            headers="Content-Transfer-Encoding: base64\r\nX-Note: =?utf-8?q?bad=ZZ?=\r\n",
        ),
        # Garbage parameters and an attachment name in broken RFC 2231 form.
        raw(
            "--b\r\nContent-Type: text/plain\r\n\r\nHello\r\n--b\r\nContent-Type: application/x\r\n"
            "Content-Disposition: attachment; filename*=utf-8''%ZZ%\r\n\r\nxx\r\n--b--\r\n",
            content_type='multipart/mixed; boundary="b"',
        ),
        # Not a mail at all.
        b"\x00\x01\x02 this is not a message\r\n\r\n\xff\xfe",
    ],
    ids=["unclosed", "no-boundary", "bad-base64", "bad-rfc2231", "garbage"],
)
def test_malformed_mime_is_posted_or_refused_never_a_crash(smtp_port, caucus, data):
    code = send_raw(smtp_port, data)
    assert code in (250, 550)
    topics, messages, posts = counts()
    assert (topics, messages, posts) == ((1, 1, 1) if code == 250 else (0, 0, 0))


@pytest.mark.parametrize(
    ("charset", "payload", "expected"),
    [
        ("utf-8", "Café à Genève".encode("latin-1"), "Caf"),  # latin-1 bytes labelled utf-8
        ("x-no-such-charset", "Café à Genève".encode(), "Café à Genève"),  # unknown label
        ("iso-8859-1", "Café à Genève".encode("latin-1"), "Café à Genève"),
        ("windows-1251", "Привет".encode("cp1251"), "Привет"),
        ("us-ascii", "naïve".encode(), "naïve"),  # 8-bit bytes labelled ascii
    ],
)
def test_wrong_and_unknown_charsets(smtp_port, caucus, charset, payload, expected):
    data = raw("", content_type=f"text/plain; charset={charset}") + payload
    assert send_raw(smtp_port, data) == 250
    assert expected in last_text()
    assert "\x00" not in last_text()


def test_an_undecodable_8bit_subject_is_stored_cleanly(smtp_port, caucus):
    data = raw("Body text").replace(b"Subject: Test", b"Subject: Caf\xe9 \xff")
    assert send_raw(smtp_port, data) == 250
    from app.discussion.models import Topic

    db.session.rollback()
    title = db.session.scalar(select(Topic.title))
    title.encode("utf-8")  # no lone surrogates reach the database
    assert title.startswith("Caf")


def with_attachment(text: str, megabytes: int):
    message = mail(sender="ana@example.org", to=LIST, text=text)
    payload = b"\x01" * (megabytes * 1024 * 1024)
    message.add_attachment(
        payload, maintype="application", subtype="octet-stream", filename="a.bin"
    )
    return message


def test_a_message_over_10_mb_is_refused_with_552(smtp_port, caucus):
    data = with_attachment("Big one.", 8).as_bytes(policy=SMTP)
    assert len(data) > 10 * 1024 * 1024
    # A client that announces the size (ESMTP SIZE) is refused before sending it...
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        send(smtp_port, data, envelope_from="ana@example.org", to=LIST)
    assert refused.value.smtp_code == 552
    # ...and one that does not is refused at the end of DATA.
    assert send_raw(smtp_port, data) == 552
    assert counts() == (0, 0, 0)


def test_a_message_just_under_10_mb_is_posted_without_its_attachment(smtp_port, caucus):
    message = with_attachment("Nearly big.", 7)
    assert 9 * 1024 * 1024 < len(message.as_bytes()) < 10 * 1024 * 1024
    assert send(smtp_port, message) == {}
    assert last_text() == "Nearly big."


def test_html_only_mail_with_script_is_sanitized_like_every_post(smtp_port, caucus, client):
    html = (
        "<html><head><style>p{}</style><script>alert('head')</script></head><body>"
        "<p>Hello <b>all</b>, see <a href='https://example.org/x'>the draft</a>.</p>"
        "<script>alert('body')</script><img src=x onerror=\"alert('img')\">"
        "<a href=\"javascript:alert('link')\">click</a></body></html>"
    )
    message = mail(sender="ana@example.org", to=LIST, text=None)
    message.set_content(html, subtype="html")
    assert send(smtp_port, message) == {}
    text = last_text()
    assert "Hello **all**" in text and "https://example.org/x" in text
    assert "alert" not in text and "<script" not in text and "javascript:" not in text
    db.session.rollback()
    topic_id = db.session.scalar(select(Message.topic_id))
    page = client.get(f"/discussions/{topic_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "onerror" not in page
    assert '<a href="https://example.org/x"' in page


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.binary(max_size=400),
    charset=st.sampled_from(["utf-8", "latin-1", "bogus", "utf-16", "", "gb2312"]),
    encoding=st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "x-weird"]),
)
def test_any_bytes_in_a_text_part_are_answered_250_or_550(app, caucus, body, charset, encoding):
    data = (
        raw(
            "",
            content_type=f"text/plain; charset={charset}" if charset else "text/plain",
            headers=f"Content-Transfer-Encoding: {encoding}\r\n",
        )
        + body
    )
    answer = inbound.receive("ana@example.org", LIST, data)
    assert answer[:3] in ("250", "550"), answer
    db.session.rollback()
