"""Every body's discussion as a mailing list: each post's Message-ID, and its copy to members.

A post, written on the web or mailed in, gets one Message-ID (kept in `ListPost`), and one copy
per member who wants list mail is queued in the same transaction as the post, so the post and
its mail are committed together or not at all.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from email.utils import formataddr

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from app.accounts.models import User
from app.bodies.models import ACTIVE, Membership
from app.core import signals
from app.core.markdown import render_markdown
from app.discussion.models import Message, Topic
from app.extensions import db
from app.mail import addresses, outbox
from app.mail.builder import list_headers, thread_headers
from app.mail.language import html_document, in_language_of, language_of_code
from app.mail.list_models import ListPost
from app.mail.models import MailAddress, MailOptOut
from app.mail.optouts import list_mail_off
from app.mail.threading import fold_parts, list_subject

LIST_KIND = "list"
# Stands for each recipient's own unsubscribe link in the copy rendered once for all.
_UNSUBSCRIBE_MARK = "https://unsubscribe.invalid/mark"


@dataclass
class Incoming:
    """What a mailed post brings beyond its text, while the discussion service stores it."""

    message_id: str
    envelope_from: str = ""
    headers: str = ""
    attachments: list[str] = field(default_factory=list)


_incoming: ContextVar[Incoming | None] = ContextVar("incoming_list_mail", default=None)


_muted: ContextVar[bool] = ContextVar("list_mail_muted", default=False)


@contextmanager
def without_list_mail():
    """Posts in this block get their Message-ID but are not mailed (sample content: the demo
    archive is the past, not news for anyone's mailbox)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


@contextmanager
def posting_mail(incoming: Incoming):
    """Within this block, a post the discussion services store came by mail as `incoming`."""
    token = _incoming.set(incoming)
    try:
        yield
    finally:
        _incoming.reset(token)


def path_for(endpoint: str, **values) -> str:
    """A site path built without a request: mail is made by the worker and the SMTP server."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def permalink(message: Message) -> str:
    return addresses.site_url(path_for("discussion.message", message_id=message.id))


def archive_url(body) -> str:
    return addresses.site_url(path_for("discussion.body_discussions", slug=body.slug))


def rfc_message_ids(message_ids) -> dict[int, str]:
    """The Message-ID of each post that has one."""
    ids = list(message_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(ListPost.message_id, ListPost.rfc_message_id).where(ListPost.message_id.in_(ids))
    )
    return dict(rows.all())


def post_by_rfc_id(rfc_ids: list[str]) -> ListPost | None:
    """The latest post among the Message-IDs named (In-Reply-To, then References backwards)."""
    for rfc_id in rfc_ids:
        found = db.session.scalar(select(ListPost).where(ListPost.rfc_message_id == rfc_id))
        if found is not None:
            return found
    return None


def mailed_message_ids(message_ids) -> set[int]:
    """Which of these posts arrived by mail (their quotes and signatures fold in the archive)."""
    ids = list(message_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(ListPost.message_id).where(
                ListPost.message_id.in_(ids), ListPost.via_mail.is_(True)
            )
        )
    )


def _ancestry(message: Message) -> tuple[str | None, list[str]]:
    """The parent's Message-ID, and those of every post above `message`, oldest first."""
    parents: dict[int, int | None] = dict(
        db.session.execute(
            select(Message.id, Message.parent_id).where(Message.topic_id == message.topic_id)
        ).all()
    )
    chain: list[int] = []
    current = message.parent_id
    while current is not None and current not in chain and len(chain) < 50:
        chain.append(current)
        current = parents.get(current)
    known = rfc_message_ids(chain)
    return known.get(message.parent_id), [known[m] for m in reversed(chain) if m in known]


def recipients(body_id: int, author_id: int | None = None, *, languages: bool = False) -> list:
    """(id, address) of who gets the list's copies, in one query: active members with a
    verified address that is not stopped by bounces, list mail on, this list not left; the
    author aside. With `languages`, each row also has the person's interface language.

    The SQL form of `outbox.mailable(user) and optouts.wants_list_mail(user, body_id)`, so
    that a post to thousands of members costs one query, not three per member.
    """
    statement = (
        select(User.id, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.body_id == body_id,
            Membership.status == ACTIVE,
            User.email_verified_at.is_not(None),
            User.id.not_in(list_mail_off()),
            ~exists().where(MailOptOut.user_id == User.id, MailOptOut.scope == f"list:{body_id}"),
            ~exists().where(
                MailAddress.email == func.lower(User.email), MailAddress.stopped_at.is_not(None)
            ),
        )
        .order_by(User.id)
    )
    if author_id is not None:
        statement = statement.where(User.id != author_id)
    if languages:
        return [tuple(row) for row in db.session.execute(statement.add_columns(User.ui_language))]
    return [(user_id, email) for user_id, email in db.session.execute(statement)]


def _copies(message: Message, topic: Topic, post: ListPost) -> list[dict]:
    body = topic.body
    parent_id, references = _ancestry(message)
    author = message.author
    author_name = author.name if author is not None else None
    if message.on_behalf_body is not None:
        author_name = f"{message.on_behalf_body.name} ({author_name or '-'})"
    context = {
        "body": body,
        "topic": topic,
        "message": message,
        "author_name": author_name,
        "permalink": permalink(message),
        "archive_url": archive_url(body),
        "list_address": addresses.list_address(body.slug),
    }
    subject = list_subject(body.slug, topic.title, is_reply=message.parent_id is not None)
    display = f"{author_name} via {body.name}" if author_name else body.name
    sender = formataddr((display, addresses.list_address(body.slug)))
    base_headers = thread_headers(parent_id, references)
    base_headers["Precedence"] = "list"
    base_headers["X-Loop"] = addresses.list_address(body.slug)
    base_headers.update(
        list_headers(
            slug=body.slug,
            name=body.name,
            archive_url=context["archive_url"],
            unsubscribe_url=_UNSUBSCRIBE_MARK,
        )
    )
    # Rendered once per language (the explanations around the post are in each member's
    # language, the post as written); each copy differs only by its signed links.
    context.update(html_text=render_markdown(message.text), unsubscribe_url=_UNSUBSCRIBE_MARK)
    rendered: dict[str, tuple[str, str]] = {}
    copies = []
    for user_id, email, ui_language in recipients(body.id, message.author_id, languages=True):
        lang = language_of_code(ui_language)
        if lang not in rendered:
            with force_locale(lang):
                rendered[lang] = (
                    render_template("mail/lists/post.txt", **context),
                    html_document(
                        render_template("mail/lists/post.html", **context), lang, sanitized=True
                    ),
                )
        text, html = rendered[lang]
        unsubscribe = addresses.unsubscribe_url(user_id, f"list:{body.id}")
        headers = dict(base_headers)
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["Reply-To"] = addresses.reply_address(user_id, f"thread:{topic.id}")
        copies.append(
            {
                "to": email,
                "subject": subject,
                "text": text.replace(_UNSUBSCRIBE_MARK, unsubscribe),
                # Our template around render_markdown's output; Jinja escaped the rest.
                "html": html.replace(_UNSUBSCRIBE_MARK, unsubscribe),
                "sanitized": True,
                "message_id": post.rfc_message_id,
                "headers": headers,
                "sender": sender,
                "automatic": False,
                "user_id": user_id,
                "kind": LIST_KIND,
            }
        )
    return copies


def record_post(message: Message, topic: Topic) -> ListPost:
    """Give the post its Message-ID (the mailed one when it came by mail)."""
    incoming = _incoming.get()
    post = ListPost(
        message_id=message.id,
        rfc_message_id=incoming.message_id if incoming else outbox.new_message_id(f"m{message.id}"),
        via_mail=incoming is not None,
        envelope_from=(incoming.envelope_from[:254] or None) if incoming else None,
        headers=incoming.headers if incoming else None,
        attachments="\n".join(incoming.attachments) or None if incoming else None,
    )
    db.session.add(post)
    db.session.flush()
    return post


def on_message_posted(message: Message, *, topic: Topic | None = None, **_) -> None:
    """Record the post's Message-ID and queue its copies to the list's members."""
    topic = topic or message.topic
    post = record_post(message, topic)
    if topic.body_id is None or _muted.get():
        return  # a document's discussion is an archive, not a list
    copies = _copies(message, topic, post)
    if copies:
        outbox.queue_bulk(copies)


def explain(*, user: User, subject: str, reason, in_reply_to=None):
    """Tell a known sender by mail, in their language, why their message was not (fully) posted.

    `reason` is a lazy string: it is rendered here, in the sender's language.
    """
    headers = {"In-Reply-To": in_reply_to, "References": in_reply_to} if in_reply_to else {}
    with in_language_of(user):
        title = _("Your message to the list: %(subject)s", subject=subject)
        text = render_template("mail/lists/refused.txt", reason=str(reason), subject=subject)
    outbox.queue_mail(
        to=user.email,
        subject=title[:200],
        text=text,
        headers=headers,
        automatic=True,
        user_id=user.id,
        kind="list_refusal",
    )


_connected = False


def mailed_posts(thread) -> set[int]:
    """For the archive view: which posts of a thread ([(message, depth)]) came by mail."""
    return mailed_message_ids(message.id for message, _ in thread)


def init_app(app) -> None:
    """Listen to posts (once per process: blinker receivers are global); archive helpers."""
    app.jinja_env.globals["mailed_posts"] = mailed_posts
    app.jinja_env.globals["mail_parts"] = fold_parts
    app.jinja_env.globals["list_address"] = addresses.list_address
    global _connected
    if not _connected:
        signals.message_posted.connect(on_message_posted, weak=False)
        _connected = True
