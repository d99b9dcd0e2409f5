"""The mail builder: safe headers, list headers, threading headers, signed reply addresses."""

from email import policy
from email.parser import BytesParser
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.timeutil import utcnow
from app.mail.addresses import read_reply_address, reply_address
from app.mail.builder import build_message, list_headers, thread_headers


@pytest.fixture(scope="module")
def config_only():
    """An app context for code that reads configuration only (kept across hypothesis examples)."""
    from app import create_app
    from app.config import TestConfig

    with create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"}).app_context():
        yield


def _row(**overrides):
    values = {
        "sender": "Agora <noreply@localhost>",
        "recipient": "p@example.org",
        "subject": "Hello",
        "message_id": "<abc@lists.localhost>",
        "created_at": utcnow(),
        "automatic": True,
        "headers": {},
        "text": "Text",
        "html": "<p>HTML</p>",
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def _reparse(message):
    return BytesParser(policy=policy.default).parsebytes(message.as_bytes())


@given(st.text(max_size=200))
def test_no_subject_can_add_a_header(config_only, subject):
    parsed = _reparse(build_message(_row(subject=subject + "\r\nBcc: x@evil.example")))
    assert parsed["Bcc"] is None
    assert set(parsed.keys()) <= {
        "From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted",
        "X-Auto-Response-Suppress", "Content-Type", "Content-Transfer-Encoding", "MIME-Version",
    }  # fmt: skip


def test_unknown_headers_from_callers_are_dropped(app):
    message = build_message(_row(headers={"Bcc": "x@evil.example", "Precedence": "bulk"}))
    assert message["Bcc"] is None and message["Precedence"] == "bulk"


def test_automatic_mail_says_so_and_list_mail_does_not(app):
    assert build_message(_row())["Auto-Submitted"] == "auto-generated"
    assert build_message(_row(automatic=False))["Auto-Submitted"] is None


def test_text_and_html_parts(app):
    message = _reparse(build_message(_row(text="Plain ü", html="<p>Rich ü</p>")))
    assert message.get_body(("plain",)).get_content().strip() == "Plain ü"
    assert "Rich ü" in message.get_body(("html",)).get_content()


def test_html_is_sanitized_when_queued(app):
    from app.mail.outbox import queue_mail

    mail = queue_mail(
        to="p@example.org", subject="s", text="t", html="<p>ok<script>x()</script></p>"
    )
    assert "script" not in mail.html and "ok" in mail.html


def test_list_headers(app):
    headers = list_headers(
        slug="gender-caucus",
        name="Gender caucus",
        archive_url="http://localhost/bodies/gender-caucus/discussions",
        unsubscribe_url="http://localhost/mail/unsubscribe/T",
    )
    assert headers["List-Id"] == '"Gender caucus" <gender-caucus.lists.localhost>'
    assert headers["List-Post"] == "<mailto:gender-caucus@lists.localhost>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    message = build_message(_row(headers=headers))
    assert message["List-Archive"] == "<http://localhost/bodies/gender-caucus/discussions>"


def test_thread_headers_keep_parent_last_and_bounded():
    refs = [f"<r{n}@x>" for n in range(40)]
    headers = thread_headers("<parent@x>", refs)
    assert headers["In-Reply-To"] == "<parent@x>"
    chain = headers["References"].split()
    assert chain[-1] == "<parent@x>" and len(chain) == 20
    assert thread_headers(None) == {}


@given(
    st.integers(1, 10**9),
    st.sampled_from(["thread", "amendment", "document", "body"]),
    st.integers(1, 10**9),
)
def test_reply_address_round_trip(config_only, user_id, kind, ident):
    address = reply_address(user_id, f"{kind}:{ident}")
    assert len(address.split("@")[0]) <= 64
    target = read_reply_address(address.upper())  # some MTAs fold the local part
    assert (target.user_id, target.kind, target.id) == (user_id, kind, ident)


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_forged_reply_addresses_are_refused(config_only, user_id, other):
    address = reply_address(user_id, "thread:5")
    local, domain = address.split("@")
    forged = local.replace(f"u{user_id}-", f"u{user_id + other}-")
    assert read_reply_address(f"{forged}@{domain}") is None
    assert read_reply_address(address.replace("lists.localhost", "evil.example")) is None
    assert read_reply_address("reply+garbage@lists.localhost") is None
