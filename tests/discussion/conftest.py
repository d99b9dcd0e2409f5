import pytest

from app.discussion import services
from app.extensions import db


@pytest.fixture
def post_topic(app):
    """post_topic(user, title, text, body=None, document=None, on_behalf_of=None) -> Topic (committed)."""

    def factory(user, title="A topic", text="First message", **kwargs):
        topic = services.start_topic(user, title=title, text=text, **kwargs)
        db.session.commit()
        return topic

    return factory


@pytest.fixture
def post_reply(app):
    def factory(user, topic, text="A reply", **kwargs):
        message = services.reply(user, topic, text=text, **kwargs)
        db.session.commit()
        return message

    return factory
