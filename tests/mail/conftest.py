"""A real SMTP sink (aiosmtpd) that receives what the worker sends."""

import socket
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser

import pytest
from test_lists_support import caucus, smtp_port  # noqa: F401 (fixtures of the list tests)


@dataclass
class Sink:
    """What the sink received: every delivery, and the deliveries deduplicated by Message-ID."""

    url: str
    port: int
    received: list = field(default_factory=list)  # (envelope recipients, EmailMessage)
    refuse: dict = field(default_factory=dict)  # recipient -> "550 ..." reply to give

    def messages(self, to: str | None = None) -> list:
        return [m for rcpts, m in self.received if to is None or to in rcpts]

    def unique(self) -> dict:
        """Deliveries keyed by (Message-ID, recipient): what a deduplicating receiver keeps."""
        kept = {}
        for rcpts, message in self.received:
            for rcpt in rcpts:
                kept.setdefault((message["Message-ID"], rcpt), message)
        return kept


class _Handler:
    def __init__(self, sink: Sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.sink.refuse:
            return self.sink.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.sink.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink(app):
    """smtp_sink.received fills as mail arrives; app's MAIL_URL points at it for the test."""
    from aiosmtpd.controller import Controller

    port = _free_port()
    sink = Sink(url=f"smtp://127.0.0.1:{port}", port=port)
    controller = Controller(_Handler(sink), hostname="127.0.0.1", port=port)
    controller.start()
    previous = app.config.get("MAIL_URL")
    app.config["MAIL_URL"] = sink.url
    try:
        yield sink
    finally:
        app.config["MAIL_URL"] = previous
        controller.stop()
