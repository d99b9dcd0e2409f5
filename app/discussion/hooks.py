"""What the discussion domain registers with the domains below it (moderation's targets)."""

from app.discussion.models import Message
from app.extensions import db
from app.moderation.targets import Target, excerpt, target_loader


@target_loader("post")
def post_target(ident: int) -> Target | None:
    """A post of a discussion, moderated by the topic's body (or its document's owner)."""
    message = db.session.get(Message, ident)
    if message is None:
        return None
    topic = message.topic
    body_id = topic.body_id if topic.body_id is not None else topic.document.owner_body_id
    return Target(
        "post",
        message.id,
        body_id,
        f"Post in “{topic.title}”",
        ("discussion.topic", {"topic_id": topic.id, "_anchor": f"m-{message.id}"}),
        excerpt(message.text),
        message.author_id,
    )
