"""The one sign-in guard: anonymous visitors go to the login page and come back via ?next=."""

import pytest

from app.accounts.guards import login_redirect


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/profile"),  # accounts
        ("get", "/notifications"),  # notifications
        ("post", "/bodies"),  # bodies
        ("get", "/discussions/1/reply"),  # discussion
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_signed_in_people_pass_the_guard(app, client, make_user, login):
    login(client, make_user())
    assert client.get("/profile").status_code == 200


def test_a_post_can_name_the_page_to_come_back_to(app):
    with app.test_request_context("/documents/d/live/publish", method="POST"):
        response = login_redirect("/documents/d/live")
        assert response.status_code == 302
        assert response.headers["Location"] == "/login?next=%2Fdocuments%2Fd%2Flive"
