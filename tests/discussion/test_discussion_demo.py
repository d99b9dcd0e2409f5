from sqlalchemy import func, select

from app.accounts.demo import load_demo as load_people
from app.accounts.services import get_user_by_email
from app.discussion.demo import load_demo
from app.discussion.models import Message, Topic
from app.extensions import db


def test_demo_threads_skip_missing_places(make_body, make_document):
    load_people(None)
    db.session.commit()
    amina = get_user_by_email("amina@example.org")
    make_body("Drafting team", slug="drafting-team", coordinators=[amina])
    make_document(slug="best-practice", title="Best practice")
    load_demo(None)  # no plenary: its thread is skipped
    db.session.commit()
    titles = set(db.session.scalars(select(Topic.title)))
    assert "Timeline for the second revision" in titles and "Plain language" in titles
    assert "Speaking order for the opening session" not in titles
    plain = db.session.scalar(select(Topic).where(Topic.title == "Plain language"))
    assert plain.on_behalf_body is not None and plain.on_behalf_body.slug == "drafting-team"
    count = db.session.scalar(select(func.count(Message.id)))
    load_demo(None)  # idempotent
    db.session.commit()
    assert db.session.scalar(select(func.count(Message.id))) == count == 9
