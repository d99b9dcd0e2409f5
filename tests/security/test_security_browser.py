"""The app's own scripts and styles run under its Content-Security-Policy (no bypass here)."""

import pytest
from playwright.sync_api import expect

PASSWORD = "browser test password 2026"


@pytest.mark.browser
def test_live_editor_and_pages_run_without_csp_violations(
    live_server, browser, make_user, make_body, make_document
):
    member = make_user(email="member@example.org", password=PASSWORD)
    body = make_body("Drafting team", members=[member])
    document = make_document(owner=body, slug="declaration")
    context = browser.new_context()  # the real policy applies
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        page.goto(f"{live_server}/login")
        page.fill("input[name=email]", member.email)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        page.goto(f"{live_server}/documents/{document.slug}/live")
        editor = page.locator(".cm-content")
        expect(editor).to_be_visible()
        editor.click()
        page.keyboard.press("Control+End")
        page.keyboard.type(" Typed under the policy.")
        expect(page.locator("[data-preview]")).to_contain_text("Typed under the policy.")
        for path in ("", "/live/replay", "/translations", "/amendments/new"):
            page.goto(f"{live_server}/documents/{document.slug}{path}")
            page.wait_for_load_state("networkidle")
        page.goto(f"{live_server}/documents/{document.slug}/compilation")
        expect(page.get_by_role("button", name="Print")).to_be_visible()
    finally:
        context.close()
    assert violations == []
