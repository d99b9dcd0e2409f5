"""Fixtures of the bodies tests: seeded bodies, people from both sides, activity rows."""

from datetime import timedelta

import pytest

from app.core.timeutil import utcnow
from app.extensions import db


@pytest.fixture
def seeded(app):
    from app.bodies.services import seed_bodies

    seed_bodies()
    db.session.commit()


@pytest.fixture
def body_of(app):
    """body_of(slug) -> the Body, freshly loaded."""
    from app.bodies.queries import body_by_slug

    return body_by_slug


@pytest.fixture
def add_activity(app):
    """Create amendments, positions and comments without depending on the amendments services."""
    amendments = pytest.importorskip("app.amendments.models")

    def _only_columns(model, **fields):
        columns = set(model.__table__.columns.keys())
        return model(**{k: v for k, v in fields.items() if k in columns})

    def amendment(document, user, on_behalf_body=None):
        version = document.current_version
        row = _only_columns(
            amendments.Amendment,
            document_id=document.id,
            base_version_id=version.id,
            kind="modify",
            paragraph_key=version.paragraphs[1].key,
            base_text="old",
            text="new",
            rationale="Because.",
            proposer_id=user.id,
            proposer_group=user.group,
            on_behalf_body_id=on_behalf_body.id if on_behalf_body else None,
            status="proposed",
        )
        db.session.add(row)
        db.session.flush()
        return row

    def position(amendment_row, user, stance="support"):
        row = _only_columns(
            amendments.Position, amendment_id=amendment_row.id, user_id=user.id, stance=stance
        )
        db.session.add(row)
        db.session.flush()
        return row

    def comment(amendment_row, user):
        row = _only_columns(
            amendments.AmendmentComment,
            amendment_id=amendment_row.id,
            author_id=user.id,
            text="A comment.",
        )
        db.session.add(row)
        db.session.flush()
        return row

    return {"amendment": amendment, "position": position, "comment": comment}


@pytest.fixture
def add_message(app):
    """add_message(user, body=None, document=None): one message in a new topic of that archive."""
    discussion = pytest.importorskip("app.discussion.models")

    def factory(user, body=None, document=None):
        topic = discussion.Topic(
            body_id=body.id if body else None,
            document_id=document.id if document else None,
            title="A topic",
            author_id=user.id,
        )
        db.session.add(topic)
        db.session.flush()
        message = discussion.Message(topic_id=topic.id, author_id=user.id, text="Hello")
        db.session.add(message)
        db.session.flush()
        return message

    return factory


@pytest.fixture
def make_selection(app):
    """make_selection(body, phase="nomination"|"voting"|"counting", **rule) -> Selection."""
    from app.bodies.models import Selection

    def factory(
        body,
        phase="nomination",
        seats=2,
        role="coordinator",
        min_south=0,
        min_north=0,
        max_per_group=None,
        title="Coordinators",
    ):
        now = utcnow()
        day = timedelta(days=1)
        starts = {"nomination": now + day, "voting": now - day, "counting": now - 2 * day}[phase]
        ends = {"nomination": now + 2 * day, "voting": now + day, "counting": now - day}[phase]
        selection = Selection(
            body_id=body.id,
            title=title,
            seats=seats,
            role=role,
            min_south=min_south,
            min_north=min_north,
            max_per_group=max_per_group,
            nomination_ends_at=starts,
            voting_starts_at=starts,
            voting_ends_at=ends,
        )
        db.session.add(selection)
        db.session.commit()
        return selection

    return factory


@pytest.fixture
def backdate_memberships(app):
    """backdate_memberships(days=30): every membership so far began `days` ago.

    Selections count only memberships that existed before voting opened; tests that open a
    vote "yesterday" make their electorate older than that.
    """
    from sqlalchemy import update

    from app.bodies.models import Membership

    def move(days=30):
        db.session.execute(update(Membership).values(created_at=utcnow() - timedelta(days=days)))
        db.session.commit()

    return move


@pytest.fixture
def set_phase(app):
    """set_phase(selection, phase): move a selection's periods so that it is in `phase` now."""

    def move(selection, phase):
        now = utcnow()
        day = timedelta(days=1)
        if phase == "nomination":
            selection.nomination_ends_at = selection.voting_starts_at = now + day
            selection.voting_ends_at = now + 2 * day
        elif phase == "voting":
            selection.nomination_ends_at = selection.voting_starts_at = now - day
            selection.voting_ends_at = now + day
        else:
            selection.nomination_ends_at = selection.voting_starts_at = now - 2 * day
            selection.voting_ends_at = now - day
        db.session.commit()

    return move


@pytest.fixture
def login(login):
    """The shared login, also forgetting the user Flask-Login cached on `g`.

    Tests keep one app context pushed, so `g` outlives each request; without this, a test that
    switches users would keep seeing the first one.
    """
    from flask import g

    def do_login(client, user):
        g.pop("_login_user", None)
        return login(client, user)

    return do_login
