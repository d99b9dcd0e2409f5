"""The index follows the content: each signal re-indexes what it names, in the same transaction."""

from sqlalchemy import event

from app.amendments.models import Amendment
from app.core import signals
from app.discussion.models import Topic
from app.extensions import db
from app.search import index


@signals.version_created.connect
def _version_created(document, version=None, **_):
    index.index_document(document)


@signals.translation_saved.connect
def _translation_saved(translation, **_):
    index.index_translation(translation)


@signals.amendment_proposed.connect
@signals.amendment_decided.connect
@signals.amendment_rebased.connect
def _amendment_changed(amendment, **_):
    index.index_amendment(amendment)


@signals.amendment_commented.connect
def _amendment_commented(comment, amendment=None, **_):
    index.index_comment(comment, amendment)


@signals.message_posted.connect
def _message_posted(message, topic=None, **_):
    index.index_post(message, topic)


@signals.message_edited.connect
def _message_edited(message, **_):
    index.index_post(message, message.topic)


@signals.body_changed.connect
def _body_changed(body, **_):
    index.index_body(body)


@signals.user_registered.connect
@signals.profile_changed.connect
@signals.group_change_decided.connect
def _person_changed(sender, **_):
    user = getattr(sender, "user", sender)  # group_change_decided sends the request
    index.index_person(user)


@signals.content_hidden.connect
def _content_hidden(hidden, **_):
    """Posts, comments and profiles are filtered out when searched; a hidden amendment
    rationale is taken out of the amendment's indexed text here."""
    if hidden.target_kind == "amendment":
        amendment = db.session.get(Amendment, hidden.target_id)
        if amendment is not None:
            index.index_amendment(amendment)


@event.listens_for(Topic, "after_delete")
def _topic_deleted(mapper, connection, topic):
    index.forget_topic(connection, topic.id)
