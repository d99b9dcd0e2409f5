"""Reading received mail: headers however broken, the text to post, what is not posted.

Nothing here touches the database; every function takes the parsed message and answers.
"""

import codecs
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

import html2text
import nh3

from app.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES
from app.mail.addresses import list_domain

# Precedence values of mail that no person wrote (RFC 2076; RFC 3834 section 2).
_BULK = {"bulk", "list", "junk", "auto_reply"}
_AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "X-Autoresponder")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Refused(Exception):
    """A message that is not posted: the SMTP answer, and what to tell a known sender."""

    def __init__(
        self, code: int, status: str, text: str, *, explain: str | None = None, sender=None
    ):
        super().__init__(text)
        self.reply = f"{code} {status} {text}"
        self.explain = explain
        self.sender = sender  # the account to tell, when we know who sent it


@dataclass
class Content:
    """The text to post, the attachments left out, and who the envelope says sent it."""

    text: str
    attachments: list[str] = field(default_factory=list)
    envelope_from: str = ""


def clean_text(text) -> str:
    """Text fit to store: raw 8-bit bytes the parser kept as surrogates become U+FFFD."""
    text = str(text or "")
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", text)


def parse(data: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(data)


def header(message: EmailMessage, name: str) -> str:
    """A header as text; a header too broken to parse counts as its raw text."""
    try:
        value = message.get(name)
    except Exception:  # the email package raises many kinds of errors on broken headers
        value = next((raw for key, raw in message.raw_items() if key.lower() == name.lower()), "")
    return clean_text(value).strip()


def from_address(message: EmailMessage) -> str | None:
    """The single author address in From, lower-cased, or None."""
    raw = header(message, "From")
    pairs = [addr for _, addr in getaddresses([raw]) if "@" in addr]
    return pairs[0].strip().lower()[:254] if len(pairs) == 1 else None


def check_automatic(message: EmailMessage, envelope_from: str) -> None:
    """Refuse loops (our own list mail coming back) and mail that no person wrote."""
    domain = list_domain().lower()
    loop = header(message, "X-Loop").lower()
    list_id = header(message, "List-Id").lower()
    if domain in loop or list_id.rstrip(">").endswith("." + domain):
        raise Refused(550, "5.4.6", "Mail loop: this message already went through our lists.")
    auto = header(message, "Auto-Submitted").lower()
    if (
        (auto and auto.split(";")[0].strip() != "no")
        or header(message, "Precedence").lower() in _BULK
        or any(header(message, name) for name in _AUTO_HEADERS)
        or not envelope_from.strip("<> ")
    ):
        raise Refused(550, "5.7.1", "Automatic replies and bounces are not posted.")


def _decode(part: EmailMessage) -> str:
    """A text part's content, whatever its declared charset claims."""
    payload = part.get_payload(decode=True) or b""
    if isinstance(payload, str):
        payload = payload.encode("utf-8", "replace")
    charset = (part.get_content_charset() or "us-ascii").strip().lower()
    candidates = [charset, "utf-8", "cp1252"]
    for name in candidates:
        try:
            codecs.lookup(name)
            return payload.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def _walk(part: EmailMessage):
    """Leaf parts in order; an attached message (message/rfc822) is a leaf: never posted."""
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for child in part.get_payload():
            if isinstance(child, EmailMessage):
                yield from _walk(child)
    else:
        yield part


def _filename(part: EmailMessage) -> str:
    try:
        name = part.get_filename()
    except Exception:  # malformed RFC 2231 parameters
        name = None
    return clean_text(name).strip()[:200]


def _name_of(part: EmailMessage) -> str:
    return _filename(part) or f"({part.get_content_type()})"


def html_to_text(html: str) -> str:
    """HTML-only mail as Markdown: sanitized first, so script and style never survive.

    The Markdown is then rendered and sanitized again like every post; mail clients' <b>, <i>
    and <div> are kept for the conversion only.
    """
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"b", "i", "u", "div", "span"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        strip_comments=True,
    )
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    return converter.handle(cleaned)


def content(message: EmailMessage) -> Content:
    """The text to post (the text part, else the HTML part converted) and the attachments."""
    plains: list[str] = []
    html = None
    attachments: list[str] = []
    for part in _walk(message):
        kind = part.get_content_type()
        named = part.get_content_disposition() == "attachment" or bool(_filename(part))
        if kind == "text/plain" and not named:
            plains.append(_decode(part))
        elif kind == "text/html" and not named:
            html = _decode(part) if html is None else html
        else:
            attachments.append(_name_of(part))
    plain = "\n\n".join(text for text in plains if text.strip())
    text = plain if plain.strip() else html_to_text(html or "")
    text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    return Content(text=text.strip("\n"), attachments=attachments)
