"""In a real browser: propose with tracked changes, support from another group, accept."""

import re

import pytest

DEFAULT_PASSWORD = "correct horse battery staple"  # the make_user default (tests/conftest.py)


def _log_in(browser, live_server, user, next_path):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server}/login?next={next_path}")
    page.fill('input[name="email"]', user.email)
    page.fill('input[name="password"]', DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))
    return context, page


@pytest.mark.browser
def test_propose_support_accept_in_a_browser(world, live_server, browser):
    slug = world.document.slug
    context, page = _log_in(browser, live_server, world.proposer, f"/documents/{slug}")
    page.get_by_role("link", name="Amend paragraph 2").click()
    editor = page.locator("textarea#text")
    assert "shall ensure access" in editor.input_value()
    editor.fill(editor.input_value().replace("ensure", "guarantee"))
    # The live preview marks the change as you type.
    page.locator("#amend-preview ins.diff-ins", has_text="guarantee").wait_for()
    assert page.locator("#amend-preview del.diff-del").inner_text() == "ensure"
    page.fill("textarea#rationale", "A guarantee is stronger than an effort.")
    page.get_by_role("button", name="Propose amendment").click()
    page.wait_for_url(re.compile(r"/amendments/\d+$"))
    amendment_url = page.url
    assert page.locator(".tracked ins.diff-ins").first.inner_text() == "guarantee"
    assert page.locator(".tracked del.diff-del").first.inner_text() == "ensure"
    context.close()

    path = amendment_url.removeprefix(live_server)
    context, page = _log_in(browser, live_server, world.participant, path)
    page.get_by_role("button", name="Support").click()
    page.wait_for_selector('button[aria-pressed="true"]')
    assert "Equal weight 100%" in page.locator(".tally-summary").first.inner_text()
    context.close()

    context, page = _log_in(browser, live_server, world.coordinator, path)
    page.fill("textarea#decision-reason", "Supported across groups; no objection.")
    page.get_by_role("button", name="Accept and create a new version").click()
    page.locator(".flash-success", has_text="Rev.2 created").wait_for()
    page.goto(f"{live_server}/documents/{slug}/versions")
    assert "Rev.2" in page.content()
    assert page.get_by_text(re.compile(r"Amendment #\d+ by Civil society")).count() >= 1
    page.goto(f"{live_server}/documents/{slug}/diff?from=1&to=2")
    assert page.locator("ins", has_text="guarantee").count() >= 1
    page.goto(f"{live_server}/documents/{slug}")
    assert "guarantee access" in page.locator(f"#p-{world.keys[1]}").inner_text()
    assert "changed by amendment #" in page.locator(f"#p-{world.keys[1]}").inner_text()
    context.close()


@pytest.mark.browser
def test_a_rejection_carries_its_reason_to_the_proposer(world, live_server, browser, propose):
    amendment = propose()
    path = f"/amendments/{amendment.id}"
    context, page = _log_in(browser, live_server, world.coordinator, path)
    # The browser itself refuses a decision without a reason (the field is required).
    page.get_by_role("button", name="Reject").click()
    assert page.url.endswith(path)
    assert page.locator("textarea#decision-reason:invalid").count() == 1
    page.fill("textarea#decision-reason", "The Plenary agreed to keep the **original** wording.")
    page.get_by_role("button", name="Reject").click()
    page.locator(".flash-success", has_text="rejected").wait_for()
    context.close()

    context, page = _log_in(browser, live_server, world.proposer, path)
    reason = page.locator("#decision")
    assert "The Plenary agreed to keep the original wording." in reason.inner_text()
    assert reason.locator("strong", has_text="original").count() == 1
    assert "Rejected by" in page.content()
    context.close()
