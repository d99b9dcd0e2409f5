"""In a real browser: follow a document, see the unread count rise after an event, read it."""

import re

import pytest

from app.extensions import db

DEFAULT_PASSWORD = "correct horse battery staple"  # the make_user default (tests/conftest.py)


@pytest.mark.browser
def test_follow_see_unread_count_and_read_the_notification(
    app, live_server, page, make_user, make_document
):
    reader = make_user(name="Rita Reader")
    proposer = make_user(name="Pablo Proposer", group="government")
    document = make_document(slug="declaration")

    page.goto(f"{live_server}/login?next=/documents/declaration")
    page.fill('input[name="email"]', reader.email)
    page.fill('input[name="password"]', DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/documents/declaration$"))
    assert page.locator(".notifications-link").get_attribute("data-unread") == "0"

    page.get_by_role("button", name="Follow document").click()
    page.get_by_role("button", name="Unfollow document").wait_for()

    from app.amendments.services import propose_amendment

    key = document.current_version.paragraphs[1].key
    amendment = propose_amendment(
        document, proposer, kind="modify", paragraph=key,
        text="All parties guarantee access to information.", rationale="Stronger.",
    )  # fmt: skip
    db.session.commit()

    page.reload()
    badge = page.locator(".notifications-link .unread-count")
    assert badge.inner_text() == "1"
    page.locator(".notifications-link").click()
    page.wait_for_url(re.compile(r"/notifications$"))
    item = page.locator("li.notification.unread")
    assert f"amendment #{amendment.id}" in item.inner_text()
    item.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/amendments/{amendment.id}$"))
    assert page.locator(".notifications-link").get_attribute("data-unread") == "0"
