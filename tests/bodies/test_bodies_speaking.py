import pytest

from app.bodies.queries import bodies_user_can_speak_for, body_user_speaks_for
from app.bodies.services import add_member, request_membership
from app.core.errors import Forbidden, NotFound
from app.extensions import db


def test_members_may_speak_for_their_body(seeded, make_user, body_of):
    caucus = body_of("gender-caucus")
    member = make_user()
    add_member(caucus, member)
    db.session.commit()
    assert body_user_speaks_for(member, caucus.id) == caucus
    assert body_user_speaks_for(member, "gender-caucus") == caucus
    assert body_user_speaks_for(member, str(caucus.id)) == caucus
    assert body_user_speaks_for(member, None) is None
    assert [b.slug for b in bodies_user_can_speak_for(member)] == ["gender-caucus"]


def test_non_members_are_refused(seeded, make_user, body_of):
    outsider = make_user()
    with pytest.raises(Forbidden, match="Only members of the Gender caucus"):
        body_user_speaks_for(outsider, "gender-caucus")
    with pytest.raises(NotFound):
        body_user_speaks_for(outsider, "no-such-body")
    assert bodies_user_can_speak_for(outsider) == []


def test_pending_requests_and_anonymous_cannot_speak(seeded, make_user, body_of):
    from flask_login import AnonymousUserMixin

    applicant = make_user()
    request_membership(applicant, body_of("drafting-team"))
    db.session.commit()
    with pytest.raises(Forbidden):
        body_user_speaks_for(applicant, "drafting-team")
    assert bodies_user_can_speak_for(applicant) == []
    with pytest.raises(Forbidden):
        body_user_speaks_for(AnonymousUserMixin(), "drafting-team")


def test_speaking_choices_list_every_active_body_by_name(seeded, make_user, body_of):
    """The one query behind every on-behalf-of choice: all active memberships, sorted by name."""
    person = make_user()
    add_member(body_of("gender-caucus"), person)
    add_member(body_of("drafting-team"), person)
    db.session.commit()
    names = [b.name for b in bodies_user_can_speak_for(person)]
    assert names == sorted(names) and len(names) == 2
    assert bodies_user_can_speak_for(None) == []
