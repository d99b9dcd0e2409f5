"""Turn the domains' signals into follows and notifications (rows only, in their transaction)."""

from sqlalchemy import select

from app.bodies.models import COORDINATOR, Membership
from app.core import signals
from app.documents.models import VersionParagraph
from app.extensions import db
from app.mail.optouts import gets_list_copy
from app.notifications.messages import TITLES
from app.notifications.services import follow, followers, notify
from app.translations.models import Translation


def _merge(*groups: dict) -> dict:
    merged: dict = {}
    for group in groups:
        for user_id, via in group.items():
            merged.setdefault(user_id, via)
    return merged


def _amendment_values(amendment) -> dict:
    document = amendment.document
    return {"amendment": amendment.id, "document": document.title if document else "-"}


def on_version_created(document, version=None, previous=None, actor=None, **_):
    if version is None:
        return
    label = getattr(version, "label", None) or f"version {version.number}"
    notify(
        followers("document", document.id),
        kind="version",
        title="version",
        values={"document": document.title, "label": label},
        text=(getattr(version, "message", "") or "").strip(),
        url=f"/documents/{document.slug}/versions/{version.number}",
        actor=actor or getattr(version, "author", None),
    )
    if previous is not None:
        _translations_outdated(document, version)


def _translations_outdated(document, version) -> None:
    """Tell the translators of each language whose translated paragraphs the version changed."""
    rows = db.session.execute(
        select(Translation.lang, Translation.translator_id)
        .join(
            VersionParagraph,
            (VersionParagraph.key == Translation.key) & (VersionParagraph.version_id == version.id),
        )
        .where(
            Translation.document_id == document.id,
            Translation.source_text != VersionParagraph.text,
            Translation.translator_id.is_not(None),
        )
        .distinct()
    ).all()
    by_lang: dict[str, dict] = {}
    for lang, translator_id in rows:
        by_lang.setdefault(lang, {})[translator_id] = None
    for lang, recipients in by_lang.items():
        notify(
            recipients,
            kind="translation_outdated",
            title="translation_outdated",
            values={
                "language": lang,
                "document": document.title,
                "label": getattr(version, "label", "") or "",
            },
            text_key="translation_outdated",
            url=f"/documents/{document.slug}/translations/{lang}",
        )


def on_amendment_proposed(amendment, actor=None, **_):
    follow(amendment.proposer_id, "amendment", amendment.id, automatic=True)
    notify(
        followers("document", amendment.document_id),
        kind="amendment_proposed",
        title="amendment_proposed",
        values=_amendment_values(amendment),
        text=(amendment.rationale or "")[:2000],
        url=f"/amendments/{amendment.id}",
        reply_target=f"amendment:{amendment.id}",
        actor=actor,
    )


def on_amendment_decided(amendment, actor=None, decision="", reason="", **_):
    if decision in {"conflict", "rebase_requested"}:
        notify(
            {amendment.proposer_id: None},
            kind="amendment_conflict",
            title="amendment_conflict",
            values=_amendment_values(amendment),
            text=reason,
            text_key=None if reason else "rebase_needed",
            url=f"/amendments/{amendment.id}",
            actor=actor,
        )
        return
    notify(
        followers("amendment", amendment.id),
        kind="amendment_decided",
        title="amendment_decided",
        values={**_amendment_values(amendment), "decision": decision, "reason": reason},
        text_key="decision_reason" if reason else None,
        url=f"/amendments/{amendment.id}",
        reply_target=f"amendment:{amendment.id}",
        actor=actor,
    )


def on_amendment_rebased(amendment, actor=None, revision=None, **_):
    notify(
        followers("amendment", amendment.id),
        kind="amendment_rebased",
        title="amendment_rebased",
        values={**_amendment_values(amendment), "revision": revision},
        text_key="rebased",
        url=f"/amendments/{amendment.id}",
        actor=actor,
    )


def on_position_taken(amendment, actor=None, stance=None, **_):
    if actor is not None and stance is not None:
        follow(actor.id, "amendment", amendment.id, automatic=True)


def on_amendment_commented(comment, actor=None, amendment=None, **_):
    amendment = amendment or comment.amendment
    author_id = getattr(actor, "id", None) or comment.author_id
    follow(author_id, "amendment", amendment.id, automatic=True)
    notify(
        followers("amendment", amendment.id),
        kind="comment",
        title="comment",
        values=_amendment_values(amendment),
        text=(comment.text or "")[:2000],
        url=f"/amendments/{amendment.id}",
        reply_target=f"amendment:{amendment.id}",
        actor=actor,
    )


def on_message_posted(message, actor=None, topic=None, parent=None, **_):
    topic = topic or message.topic
    if message.author_id:
        follow(message.author_id, "thread", topic.id, automatic=True)
    recipients = followers("thread", topic.id)
    if parent is None and topic.body_id:
        recipients = _merge(recipients, followers("body", topic.body_id))
    # Members who get the list copy of the post need no second mail about it.
    list_readers = {
        user_id
        for user_id in recipients
        if topic.body_id and gets_list_copy(user_id, topic.body_id)
    }
    notify(
        recipients,
        kind="reply",
        title="thread_new" if parent is None else "thread_reply",
        values={"topic": topic.title},
        text=(message.text or "")[:2000],
        url=f"/messages/{message.id}",
        reply_target=f"thread:{topic.id}",
        actor=actor,
        no_mail=list_readers,
    )


def on_membership_changed(membership, actor=None, change="", **_):
    if change != "requested":
        return

    body = membership.body
    coordinators = db.session.scalars(
        select(Membership.user_id).where(
            Membership.body_id == membership.body_id, Membership.role == COORDINATOR
        )
    )
    notify(
        {user_id: None for user_id in coordinators},
        kind="membership_request",
        title="membership_request",
        values={"name": membership.user.name, "body": body.name},
        text_key="membership_request",
        url=f"/bodies/{body.slug}",
        actor=actor,
    )


def on_selection_changed(selection, actor=None, change="", result=None, **_):
    body = selection.body
    members = db.session.scalars(select(Membership.user_id).where(Membership.body_id == body.id))
    recipients = _merge(followers("body", body.id), {user_id: None for user_id in members})
    text_key, names = None, []
    if change == "closed" and result:
        names = [c.get("name", "") for c in result.get("counts", []) if c.get("elected")]
        text_key = "elected" if names else "none_elected"
    title = f"selection_{change}"
    if title not in TITLES:
        return
    notify(
        recipients,
        kind="selection",
        title=title,
        values={"body": body.name, "selection": selection.title, "names": ", ".join(names)},
        text_key=text_key,
        url=f"/selections/{selection.id}",
        actor=actor,
    )


def on_amendment_period_changed(document, actor=None, opened=True, **_):
    closes_at = document.amendments_close_at if opened else None
    notify(
        followers("document", document.id),
        kind="amendment_period",
        title="period_opened" if opened else "period_closed",
        values={
            "document": document.title,
            "closes_at": closes_at.isoformat() if closes_at else None,
        },
        text_key=("period_opened_until" if closes_at else "period_opened")
        if opened
        else "period_closed",
        url=f"/documents/{document.slug}",
        actor=actor,
    )


def remind_closing_period(document) -> None:
    """Tell the document's followers that its amendment period closes in about a day."""
    closes_at = document.amendments_close_at
    notify(
        followers("document", document.id),
        kind="amendment_period",
        title="period_closing",
        values={"document": document.title, "closes_at": closes_at.isoformat()},
        text_key="period_closing",
        url=f"/documents/{document.slug}",
    )


def connect() -> None:
    """Connect every receiver once (weak=False: these are module functions)."""
    pairs = [
        (signals.version_created, on_version_created),
        (signals.amendment_proposed, on_amendment_proposed),
        (signals.amendment_decided, on_amendment_decided),
        (signals.amendment_rebased, on_amendment_rebased),
        (signals.position_taken, on_position_taken),
        (signals.amendment_commented, on_amendment_commented),
        (signals.message_posted, on_message_posted),
        (signals.membership_changed, on_membership_changed),
        (signals.selection_changed, on_selection_changed),
        (signals.amendment_period_changed, on_amendment_period_changed),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, weak=False)
