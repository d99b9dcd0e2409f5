"""The commit-or-rollback helper behind every page that writes."""

import pytest
from flask import get_flashed_messages

from app.accounts.models import User
from app.core.actions import domain_action
from app.core.errors import Conflict, Forbidden, ValidationError
from app.extensions import db


@pytest.fixture
def page(app):
    with app.test_request_context("/", method="POST"):
        yield


def test_success_commits_and_flashes_the_success_message(page, make_user):
    user = make_user()
    with domain_action("Saved.") as outcome:
        user.name = "Renamed"
    db.session.rollback()  # nothing pending is left: the helper committed
    assert not outcome.failed and outcome.error is None
    assert db.session.get(User, user.id).name == "Renamed"
    assert get_flashed_messages(with_categories=True) == [("success", "Saved.")]


def test_a_domain_error_rolls_back_and_flashes_its_message(page, make_user):
    user = make_user()
    with domain_action("Saved.") as outcome:
        user.name = "Never stored"
        raise ValidationError("That name is taken.")
    assert outcome.failed and outcome.error.message == "That name is taken."
    assert db.session.get(User, user.id).name != "Never stored"
    assert get_flashed_messages(with_categories=True) == [("error", "That name is taken.")]


def test_the_page_may_show_the_error_itself(page, make_user):
    with domain_action(flash_error=False) as outcome:
        raise Conflict("Someone else changed it.")
    assert outcome.error.status == 409
    assert get_flashed_messages() == []


def test_reraised_and_uncaught_errors_are_rolled_back_and_propagate(page, make_user):
    user = make_user()
    with pytest.raises(Forbidden), domain_action(reraise=(Forbidden,)):
        user.name = "Not allowed"
        raise Forbidden("Only coordinators.")
    assert db.session.get(User, user.id).name != "Not allowed"
    with pytest.raises(Conflict), domain_action(catch=ValidationError):
        raise Conflict("Not one of the caught errors.")
    assert get_flashed_messages() == []


def test_other_exceptions_pass_through_without_a_commit(page, make_user):
    user = make_user()
    with pytest.raises(KeyError), domain_action("Saved."):
        user.name = "Half done"
        raise KeyError("bug")
    db.session.rollback()  # what the request's teardown does
    assert db.session.get(User, user.id).name != "Half done"
    assert get_flashed_messages() == []
