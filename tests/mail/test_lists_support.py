"""Helpers shared by the list and inbound tests: a real SMTP server for the lists, and senders.

The fixtures here (`smtp_port`, `caucus`) are made visible to tests/mail by its conftest.
"""

import smtplib
import socket
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import SMTP

import pytest
from sqlalchemy import func, select

from app.core.timeutil import utcnow
from app.discussion.models import Message, Topic
from app.extensions import db
from app.mail import inbound, lists
from app.mail.list_models import ListPost


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_inbound(app):
    """The `flask mail serve` SMTP server on a free port, in this process; yields the port."""
    lists.init_app(app)
    port = free_port()
    server = inbound.controller(app, "127.0.0.1", port)
    server.start()
    try:
        yield port
    finally:
        server.stop()


@pytest.fixture
def smtp_port(app):
    """The port of a running list server (what `flask mail serve` runs) for this test."""
    with running_inbound(app) as port:
        yield port


@pytest.fixture
def caucus(make_user, make_body):
    """(body, ana, ben): Caucus A, slug caucus-a, with two verified members."""
    ana = verify(make_user(email="ana@example.org", name="Ana"))
    ben = verify(make_user(email="ben@example.org", name="Ben"))
    body = make_body("Caucus A", kind="caucus", team_role=None, members=[ana, ben], slug="caucus-a")
    return body, ana, ben


def verify(user):
    user.email_verified_at = utcnow()
    db.session.commit()
    return user


def mail(
    *,
    sender: str,
    to: str,
    subject: str = "Hello list",
    text: str | None = "A first message by mail.",
    headers: dict | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<test.{free_port()}.{id(message)}@example.org>"
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        message.set_content(text)
    return message


def send(port: int, message, *, envelope_from: str | None = None, to: str | None = None):
    """Send over SMTP; returns the refused-recipients dict (empty when all were taken)."""
    # On the wire, lines end in CRLF (smtplib sends bytes as they are).
    data = message.as_bytes(policy=SMTP) if isinstance(message, EmailMessage) else message
    envelope_from = envelope_from if envelope_from is not None else message["From"]
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        return client.sendmail(envelope_from, [to or message["To"]], data)


def counts() -> tuple[int, int, int]:
    """(topics, messages, list posts) as committed."""
    db.session.rollback()
    return (
        db.session.scalar(select(func.count(Topic.id))),
        db.session.scalar(select(func.count(Message.id))),
        db.session.scalar(select(func.count(ListPost.id))),
    )
