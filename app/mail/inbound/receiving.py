"""Deciding what a received message is: where it goes, who sent it, and posting it.

Every check that can refuse a message runs before anything is stored, and a refusal is an
SMTP 5xx answer, so the sending server tells its user and nothing is half-posted.
"""

import re
from dataclasses import dataclass
from email.message import EmailMessage

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.models import User
from app.amendments.models import Amendment
from app.amendments.proceedings import add_comment
from app.bodies.models import Body
from app.bodies.queries import is_member
from app.core.errors import DomainError
from app.discussion import services
from app.discussion.models import Topic
from app.documents.models import Document
from app.extensions import db
from app.mail import lists
from app.mail.addresses import list_domain, read_reply_address, site_url
from app.mail.inbound.parsing import (
    Content,
    Refused,
    check_automatic,
    clean_text,
    content,
    from_address,
    header,
    parse,
)
from app.mail.outbox import mailable, new_message_id
from app.mail.threading import clean_subject, fold_parts, message_ids

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass
class Destination:
    """Where a recipient address posts: a body's list, or what a reply token was made for.

    `body` set: only its members may post. `topic`: a reply in that thread. `document`: a
    thread of the document's discussion. `amendment`: a comment on it.
    """

    body: Body | None = None
    topic: Topic | None = None
    document: object | None = None
    amendment: object | None = None
    user_id: int | None = None  # the person a reply address was made for

    def holds(self, topic: Topic) -> bool:
        """Whether a thread belongs where this address posts (so a reply may join it)."""
        if self.topic is not None:
            return topic.id == self.topic.id
        if self.body is not None:
            return topic.body_id == self.body.id
        return self.document is not None and topic.document_id == self.document.id


def _reply_destination(target) -> Destination:
    """What a signed reply address posts to: the thread, body, document or amendment it names."""
    model = {"thread": Topic, "body": Body, "document": Document, "amendment": Amendment}
    found = db.session.get(model[target.kind], target.id)
    if found is None:
        raise Refused(550, "5.1.1", f"The {target.kind} of this reply address no longer exists.")
    if target.kind == "thread":
        return Destination(body=found.body, topic=found, user_id=target.user_id)
    return Destination(**{target.kind: found}, user_id=target.user_id)


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
        return _reply_destination(target)
    body = db.session.scalar(select(Body).where(Body.slug == local)) if _SLUG.match(local) else None
    if body is None:
        raise Refused(550, "5.1.1", f"No such list: {local}@{domain}.")
    return Destination(body=body)


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
            explain=_l(
                "It was not posted: only members of %(body)s may post to its list. Join the "
                "body on the site first.",
                body=body.name,
            ),
            sender=user,
        )
    return user


def _thread_parent(message: EmailMessage, destination: Destination):
    """The post answered (In-Reply-To, then References newest first) within this list."""
    wanted = message_ids(header(message, "In-Reply-To"))
    wanted += list(reversed(message_ids(header(message, "References"))))
    for candidate in wanted:
        post = lists.post_by_rfc_id([candidate])
        if post is not None and destination.holds(post.message.topic):
            return post.message
    return None


def _incoming(message: EmailMessage, found: Content) -> lists.Incoming:
    rfc_id = next(iter(message_ids(header(message, "Message-ID"))), None)
    if rfc_id is None or len(rfc_id) > 255 or lists.post_by_rfc_id([rfc_id]) is not None:
        rfc_id = new_message_id("in")
    headers_text = clean_text("".join(f"{k}: {v}\n" for k, v in message.raw_items()))
    return lists.Incoming(
        message_id=rfc_id,
        envelope_from=found.envelope_from,
        headers=headers_text[:20_000],
        attachments=found.attachments,
    )


def _comment(user: User, amendment, found: Content) -> str:
    """A reply to an amendment's notification: a comment with the author's own words only
    (comments have no folding view, so quoted text and signature are left out)."""
    own = "\n".join(part.text for part in fold_parts(found.text) if part.kind == "text")
    comment = add_comment(amendment, user, own.strip() or found.text)
    return site_url(
        lists.path_for("amendments.show", amendment_id=amendment.id) + f"#c-{comment.id}"
    )


def _post(user: User, message: EmailMessage, destination: Destination, found: Content) -> str:
    """Store the post where the address says; returns its permalink."""
    if destination.amendment is not None:
        return _comment(user, destination.amendment, found)
    parent = _thread_parent(message, destination)
    with lists.posting_mail(_incoming(message, found)):
        if parent is not None:
            posted = services.reply(user, parent.topic, text=found.text, parent=parent)
        elif destination.topic is not None:
            posted = services.reply(user, destination.topic, text=found.text)
        else:
            title = clean_subject(header(message, "Subject"))[: services.TITLE_MAX]
            topic = services.start_topic(
                user,
                title=title or "(no subject)",
                text=found.text,
                body=destination.body,
                document=destination.document,
            )
            posted = topic.messages[0]
    return lists.permalink(posted)


def _already_posted(message: EmailMessage, destination: Destination) -> bool:
    """The same mail again (a sending server's retry): answered as posted, stored once."""
    rfc_id = next(iter(message_ids(header(message, "Message-ID"))), None)
    post = lists.post_by_rfc_id([rfc_id]) if rfc_id else None
    return post is not None and post.via_mail and destination.holds(post.message.topic)


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
        found.envelope_from = envelope_from.strip("<> ")[:254]
        if not found.text.strip():
            raise Refused(
                550,
                "5.6.0",
                "The message has no text to post.",
                explain=_l("It has no text to post."),
            )
        permalink = _post(user, message, destination, found)
        if found.attachments:
            lists.explain(
                user=user,
                subject=subject,
                reason=_l(
                    "It was posted without its attachments, which the archive does not "
                    "publish: %(names)s. The post: %(link)s",
                    names=", ".join(found.attachments[:20]),
                    link=permalink,
                ),
            )
        db.session.commit()
        return f"250 2.0.0 Posted: {permalink}"
    except DomainError as error:
        db.session.rollback()
        refusal = Refused(
            550,
            "5.6.0",
            error.message,
            explain=_l("It was not posted: %(reason)s", reason=error.message),
        )
    except Refused as error:
        db.session.rollback()
        refusal = error
    known = refusal.sender or known
    if known is not None and refusal.explain:
        _tell(known, subject, refusal.explain)
    return refusal.reply


def _tell(user: User, subject: str, reason: str) -> None:
    """Queue an explanation to a sender whose address we know, in a transaction of its own."""
    if not mailable(user):
        return
    lists.explain(user=user, subject=subject, reason=reason)
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
            _tell(
                user,
                recipient,
                _l(
                    "It was not delivered to %(address)s: %(reason)s",
                    address=recipient,
                    reason=str(error),
                ),
            )
        return error.reply
    db.session.rollback()
    return None
