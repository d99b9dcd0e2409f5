"""Receiving mail for the lists and the signed reply addresses (`flask mail serve`)."""

from app.mail.inbound.parsing import Refused, content, parse
from app.mail.inbound.receiving import check_recipient, receive, resolve
from app.mail.inbound.smtp import controller, serve

__all__ = [
    "Refused",
    "check_recipient",
    "content",
    "controller",
    "parse",
    "receive",
    "resolve",
    "serve",
]
