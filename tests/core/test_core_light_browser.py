"""In Chromium: a page revalidated with 304 keeps working under its Content-Security-Policy
(the stored policy's nonce is the one in the stored page)."""

import pytest


@pytest.mark.browser
def test_reload_revalidates_with_304_and_keeps_the_nonce(live_server, browser, make_document):
    make_document(slug="declaration")
    context = browser.new_context()  # the real policy, not bypassed
    page = context.new_page()
    violations, statuses = [], []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on(
        "Network.responseReceivedExtraInfo",
        lambda event: statuses.append(event.get("statusCode")),
    )
    try:
        url = live_server + "/documents/declaration/live"
        page.goto(url)
        page.locator(".cm-editor").wait_for()
        statuses.clear()
        page.reload()
        page.locator(".cm-editor").wait_for()
        styled = page.evaluate("getComputedStyle(document.querySelector('.cm-editor')).display")
    finally:
        context.close()
    assert 304 in statuses, statuses
    assert styled == "flex"  # CodeMirror's own <style> (with the nonce) applied
    assert violations == []
