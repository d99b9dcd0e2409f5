"""Turn the domains' signals into follows and notifications (rows only, in their transaction)."""

from sqlalchemy import select

from app.bodies.models import COORDINATOR, Membership
from app.core import signals
from app.documents.models import VersionParagraph
from app.extensions import db
from app.mail.optouts import gets_list_copy
from app.notifications.services import follow, followers, notify
from app.translations.models import Translation


def _merge(*groups: dict) -> dict:
    merged: dict = {}
    for group in groups:
        for user_id, via in group.items():
            merged.setdefault(user_id, via)
    return merged


def _amendment_label(amendment) -> str:
    document = amendment.document
    return f"amendment #{amendment.id} to {document.title if document else 'a document'}"


def on_version_created(document, version=None, previous=None, actor=None, **_):
    if version is None:
        return
    label = getattr(version, "label", None) or f"version {version.number}"
    notify(
        followers("document", document.id),
        kind="version",
        title=f"New version of {document.title}: {label}",
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
            title=f"The {lang} translation of {document.title} is outdated",
            text=f"{version.label if hasattr(version, 'label') else ''} changed paragraphs you translated.",
            url=f"/documents/{document.slug}/translations/{lang}",
        )


def on_amendment_proposed(amendment, actor=None, **_):
    follow(amendment.proposer_id, "amendment", amendment.id, automatic=True)
    notify(
        followers("document", amendment.document_id),
        kind="amendment_proposed",
        title=f"New {_amendment_label(amendment)}",
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
            title=f"Your {_amendment_label(amendment)} needs a rebase",
            text=reason
            or "The paragraph changed since you proposed it; rebase it onto today's text.",
            url=f"/amendments/{amendment.id}",
            actor=actor,
        )
        return
    notify(
        followers("amendment", amendment.id),
        kind="amendment_decided",
        title=f"{_amendment_label(amendment).capitalize()}: {decision}",
        text=f"Reason: {reason}" if reason else "",
        url=f"/amendments/{amendment.id}",
        reply_target=f"amendment:{amendment.id}",
        actor=actor,
    )


def on_amendment_rebased(amendment, actor=None, revision=None, **_):
    notify(
        followers("amendment", amendment.id),
        kind="amendment_rebased",
        title=f"{_amendment_label(amendment).capitalize()} was rebased (revision {revision})",
        text="Positions given on the earlier text may need a second look.",
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
        title=f"New comment on {_amendment_label(amendment)}",
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
        title=f"{'New thread' if parent is None else 'Reply'}: {topic.title}",
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
        title=f"{membership.user.name} asks to join {body.name}",
        text="Approve or decline the request on the body's page.",
        url=f"/bodies/{body.slug}",
        actor=actor,
    )


def on_selection_changed(selection, actor=None, change="", result=None, **_):
    body = selection.body
    members = db.session.scalars(select(Membership.user_id).where(Membership.body_id == body.id))
    recipients = _merge(followers("body", body.id), {user_id: None for user_id in members})
    text = ""
    if change == "closed" and result:
        names = [c.get("name", "") for c in result.get("counts", []) if c.get("elected")]
        text = (
            f"Elected: {', '.join(names)}."
            if names
            else "The selection closed; no one was elected."
        )
    notify(
        recipients,
        kind="selection",
        title=f"Selection {change} in {body.name}: {selection.title}",
        text=text,
        url=f"/selections/{selection.id}",
        actor=actor,
    )


def on_amendment_period_changed(document, actor=None, opened=True, **_):
    notify(
        followers("document", document.id),
        kind="amendment_period",
        title=f"The amendment period of {document.title} is {'open' if opened else 'closed'}",
        text="You can propose amendments now." if opened else "No new amendments are taken.",
        url=f"/documents/{document.slug}",
        actor=actor,
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
