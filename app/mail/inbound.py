"""Receiving mail for the lists and the signed reply addresses (`flask mail serve`).

Every check that can refuse a message runs before anything is stored, and a refusal is an SMTP
5xx answer, so the sending server tells its user and nothing is half-posted. The aiosmtpd
handler only moves bytes; `receive()` decides, inside one transaction of its own.
"""

import asyncio
import codecs
import logging
import re
import signal
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

import html2text
import nh3
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from app.accounts.models import User
from app.bodies.models import Body
from app.bodies.queries import is_member
from app.core.errors import DomainError
from app.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES
from app.discussion import services
from app.discussion.models import Topic
from app.extensions import db
from app.mail import lists
from app.mail.addresses import list_domain, read_reply_address
from app.mail.threading import clean_subject, message_ids

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Precedence values of mail that no person wrote (RFC 2076; RFC 3834 section 2).
_BULK = {"bulk", "list", "junk", "auto_reply"}
_AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "X-Autoresponder")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


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
class Destination:
    """Where a recipient address posts: a body's list, or a thread through a reply token."""

    body: Body | None = None
    topic: Topic | None = None
    user_id: int | None = None  # the person a reply address was made for


@dataclass
class Content:
    text: str
    attachments: list[str] = field(default_factory=list)


def _clean(text) -> str:
    """Text fit to store: raw 8-bit bytes the parser kept as surrogates become U+FFFD."""
    text = str(text or "")
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", text)


# --- recipients ---------------------------------------------------------------------------


def resolve(address: str) -> Destination:
    """The list or thread an envelope recipient names, or Refused (unknown, forged)."""
    local, _, domain = address.strip().strip("<>").rpartition("@")
    if domain.lower() != list_domain().lower():
        raise Refused(550, "5.7.1", f"Relaying denied: we only take mail for @{list_domain()}.")
    local = local.lower()
    if local.startswith("reply+"):
        target = read_reply_address(address)
        if target is None:
            raise Refused(550, "5.7.1", "This reply address is not valid (forged or altered).")
        if target.kind != "thread":
            raise Refused(550, "5.7.1", "Replies to this mail are not posted; answer on the web.")
        topic = db.session.get(Topic, target.id)
        if topic is None:
            raise Refused(550, "5.1.1", "The thread of this reply address no longer exists.")
        return Destination(body=topic.body, topic=topic, user_id=target.user_id)
    body = db.session.scalar(select(Body).where(Body.slug == local)) if _SLUG.match(local) else None
    if body is None:
        raise Refused(550, "5.1.1", f"No such list: {local}@{domain}.")
    return Destination(body=body)


# --- parsing ------------------------------------------------------------------------------


def parse(data: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(data)


def header(message: EmailMessage, name: str) -> str:
    """A header as text; a header too broken to parse counts as its raw text."""
    try:
        value = message.get(name)
    except Exception:  # the email package raises many kinds of errors on broken headers
        value = next((raw for key, raw in message.raw_items() if key.lower() == name.lower()), "")
    return _clean(value).strip()


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
    return _clean(name).strip()[:200]


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
    text = _clean(text.replace("\r\n", "\n").replace("\r", "\n"))
    return Content(text=text.strip("\n"), attachments=attachments)


# --- deciding -----------------------------------------------------------------------------


def sender_of(message: EmailMessage, destination: Destination) -> User:
    """The account that posts: found by its verified From address, the reply token agreeing."""
    address = from_address(message)
    user = (
        db.session.scalar(select(User).where(func.lower(User.email) == address))
        if address
        else None
    )
    if destination.user_id is not None and (user is None or user.id != destination.user_id):
        raise Refused(550, "5.7.1", "This reply address was made for another sender.")
    if user is None:
        raise Refused(550, "5.7.1", "Only members may post to this list, from their address.")
    if user.email_verified_at is None:
        raise Refused(550, "5.7.1", "Verify your address on the site before posting by mail.")
    body = destination.body
    if body is not None and not is_member(user, body.id):
        raise Refused(
            550,
            "5.7.1",
            f"Only members of {body.name} may post to its list.",
            explain=f"was not posted: only members of {body.name} may post to its list. "
            "Join the body on the site first.",
            sender=user,
        )
    return user


def _thread_parent(message: EmailMessage, destination: Destination):
    """The post answered (In-Reply-To, then References newest first) within this list."""
    wanted = message_ids(header(message, "In-Reply-To"))
    wanted += list(reversed(message_ids(header(message, "References"))))
    for candidate in wanted:
        post = lists.post_by_rfc_id([candidate])
        if post is None:
            continue
        topic = post.message.topic
        if destination.topic is not None and topic.id != destination.topic.id:
            continue
        if destination.topic is None and topic.body_id != destination.body.id:
            continue
        return post.message
    return None


def _incoming(message: EmailMessage, envelope_from: str, found: Content) -> lists.Incoming:
    rfc_id = next(iter(message_ids(header(message, "Message-ID"))), None)
    if rfc_id is None or len(rfc_id) > 255 or lists.post_by_rfc_id([rfc_id]) is not None:
        from app.mail.outbox import new_message_id

        rfc_id = new_message_id("in")
    headers_text = _clean("".join(f"{k}: {v}\n" for k, v in message.raw_items()))
    return lists.Incoming(
        message_id=rfc_id,
        envelope_from=envelope_from.strip("<>"),
        headers=headers_text[:20_000],
        attachments=found.attachments,
    )


def _post(user: User, message: EmailMessage, destination: Destination, found: Content, incoming):
    author = user
    parent = _thread_parent(message, destination)
    with lists.posting_mail(incoming):
        if parent is not None:
            return services.reply(author, parent.topic, text=found.text, parent=parent)
        if destination.topic is not None:
            return services.reply(author, destination.topic, text=found.text)
        title = clean_subject(header(message, "Subject"))[: services.TITLE_MAX] or "(no subject)"
        topic = services.start_topic(author, title=title, text=found.text, body=destination.body)
        return topic.messages[0]


def _already_posted(message: EmailMessage, destination: Destination) -> bool:
    """The same mail again (a sending server's retry): answered as posted, stored once."""
    rfc_id = next(iter(message_ids(header(message, "Message-ID"))), None)
    post = lists.post_by_rfc_id([rfc_id]) if rfc_id else None
    return (
        post is not None
        and post.via_mail
        and post.message.topic.body_id == (destination.body.id if destination.body else None)
    )


def receive(envelope_from: str, recipient: str, data: bytes) -> str:
    """Post one received message for one recipient; returns the SMTP answer."""
    try:
        message = parse(data)
    except Exception:  # a message the email package cannot read at all
        return "550 5.6.0 Malformed message."
    subject = header(message, "Subject")[:150] or "(no subject)"
    known: User | None = None
    try:
        check_automatic(message, envelope_from)
        destination = resolve(recipient)
        user = sender_of(message, destination)
        known = user
        if _already_posted(message, destination):
            return "250 2.0.0 Already posted"
        found = content(message)
        if not found.text.strip():
            raise Refused(550, "5.6.0", "The message has no text to post.", explain="had no text.")
        posted = _post(user, message, destination, found, _incoming(message, envelope_from, found))
        if found.attachments:
            lists.explain(
                to=user.email,
                user_id=user.id,
                subject=subject,
                reason="was posted without its attachments, which the archive does not publish: "
                + ", ".join(found.attachments[:20])
                + f".\n\nThe post: {lists.permalink(posted)}",
            )
        db.session.commit()
        return f"250 2.0.0 Posted: {lists.permalink(posted)}"
    except DomainError as error:
        db.session.rollback()
        refusal = Refused(550, "5.6.0", error.message, explain=f"was not posted: {error.message}")
    except Refused as error:
        db.session.rollback()
        refusal = error
    known = refusal.sender or known
    if known is not None and refusal.explain:
        _tell(known, subject, refusal.explain)
    return refusal.reply


def _tell(user: User, subject: str, reason: str) -> None:
    """Queue an explanation to a sender whose address we know, in a transaction of its own."""
    from app.mail.outbox import mailable

    if not mailable(user):
        return
    lists.explain(to=user.email, user_id=user.id, subject=subject, reason=reason)
    db.session.commit()


def check_recipient(envelope_from: str, recipient: str) -> str | None:
    """The SMTP refusal for a recipient we cannot take, or None.

    A person with an account who mistyped a list's name is told by mail as well.
    """
    try:
        resolve(recipient)
    except Refused as error:
        db.session.rollback()
        address = envelope_from.strip("<> ").lower()
        user = (
            db.session.scalar(select(User).where(func.lower(User.email) == address))
            if "@" in address
            else None
        )
        if user is not None:
            _tell(user, f"to {recipient}", f"was not delivered: {str(error)}")
        return error.reply
    db.session.rollback()
    return None


# --- SMTP ---------------------------------------------------------------------------------


class ListHandler:
    """aiosmtpd handler: one recipient per transaction, the database work off the event loop."""

    def __init__(self, app):
        self.app = app

    def _in_app(self, function, *args):
        with self.app.app_context():
            try:
                return function(*args)
            except Exception:
                log.exception("inbound mail failed")
                db.session.rollback()
                return "451 4.3.0 Temporary failure; try again later."
            finally:
                db.session.remove()

    async def _run(self, function, *args):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._in_app, function, *args)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if envelope.rcpt_tos:
            # The sending server retries the others in a transaction of their own.
            return "452 4.5.3 One recipient at a time, please."
        refusal = await self._run(check_recipient, envelope.mail_from or "", address)
        if refusal:
            log.info("mail from <%s> to <%s>: %s", envelope.mail_from, address, refusal)
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if not envelope.rcpt_tos:
            return "554 5.5.1 No valid recipients."
        answer = await self._run(
            receive, envelope.mail_from or "", envelope.rcpt_tos[0], envelope.original_content
        )
        log.info("mail from <%s> to <%s>: %s", envelope.mail_from, envelope.rcpt_tos[0], answer)
        return answer


def controller(app, host: str, port: int) -> Controller:
    """An SMTP server for the lists, not yet started."""
    limit = int(app.config.get("MAIL_INBOUND_MAX_BYTES") or DEFAULT_MAX_BYTES)
    return Controller(
        ListHandler(app),
        hostname=host,
        port=port,
        server_hostname=app.config.get("LIST_DOMAIN", "lists.localhost"),
        data_size_limit=limit,
        decode_data=False,
        enable_SMTPUTF8=True,
    )


def serve(app, host: str, port: int) -> None:
    """Receive mail until Ctrl-C or SIGTERM."""
    # aiosmtpd logs every SMTP command at INFO; our own log says what was posted or refused.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = controller(app, host, port)
    server.start()
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
    print(f"Receiving list mail for @{app.config['LIST_DOMAIN']} on {host}:{port}", flush=True)
    try:
        stop.wait()
    finally:
        server.stop()
