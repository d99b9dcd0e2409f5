"""Issue 6 in a real browser: join a caucus, post in its archive, find the post anonymously."""

import re
import uuid

import pytest

PASSWORD = "correct horse battery staple"  # the shared make_user fixture's default


@pytest.mark.browser
def test_join_a_caucus_post_in_its_archive_and_find_it_anonymously(
    live_server, page, seeded, make_user
):
    from app.bodies.queries import body_by_slug, is_member

    user = make_user(email="walker@example.org", name="Wanjiru Walker")
    word = "quorum" + uuid.uuid4().hex[:8]

    # Log in through the login page, coming back to the caucus.
    page.goto(f"{live_server}/login?next=/bodies/gender-caucus")
    page.fill("input[name=email]", "walker@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/bodies/gender-caucus$"))

    page.get_by_role("button", name="Join this body").click()
    page.get_by_text("You are a member of this body").wait_for()
    assert is_member(user, body_by_slug("gender-caucus").id)
    assert "Wanjiru Walker" in page.locator("#members").inner_text()

    # Post in the caucus's discussion archive.
    page.locator("#discussions").get_by_role("link", name="New topic").click()
    page.get_by_label("Subject").fill(f"Agenda {word}")
    page.get_by_label("Message").fill(f"Let us discuss the {word} for the next plenary.")
    page.get_by_role("button", name="Start topic").click()
    page.wait_for_url(re.compile(r"/discussions/\d+"))
    assert word in page.content()

    # Log out; an anonymous visitor finds the post by search.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    page.goto(f"{live_server}/discussions/search?q={word}")
    assert page.get_by_role("button", name="Log out").count() == 0
    result = page.get_by_role("link", name=re.compile(f"Agenda {word}"))
    result.first.wait_for()
    result.first.click()
    page.wait_for_url(re.compile(r"/discussions/\d+"))
    assert f"Let us discuss the {word}" in page.content()
    # The caucus page shows the topic in its archive summary, to anonymous visitors too.
    page.goto(f"{live_server}/bodies/gender-caucus")
    assert f"Agenda {word}" in page.locator("#discussions").inner_text()
    assert page.get_by_role("button", name="Join this body").count() == 0
