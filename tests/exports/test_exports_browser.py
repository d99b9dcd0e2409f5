"""In a real browser: upload a DOCX with tracked changes, review, propose, see them listed."""

import re

import pytest
from exports_samples import keyed_paragraph, open_docx, save_docx, track_replace

from app.exports.queries import export_version

DEFAULT_PASSWORD = "correct horse battery staple"  # the make_user default (tests/conftest.py)


@pytest.mark.browser
def test_upload_tracked_changes_in_a_browser(
    rich_document, make_user, live_server, browser, tmp_path
):
    user = make_user(name="Ana Lima")
    key = rich_document.current_version.paragraphs[6].key
    word = open_docx(export_version(rich_document, None, "docx")[0])
    track_replace(keyed_paragraph(word, key), "in the open", "in public", 800)
    path = tmp_path / "edited.docx"
    path.write_bytes(save_docx(word))

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    target = f"/documents/{rich_document.slug}/amendments/import"
    page.goto(f"{live_server}/login?next={target}")
    page.fill('input[name="email"]', user.email)
    page.fill('input[name="password"]', DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(target) + "$"))
    page.set_input_files("#amend-file", str(path))
    page.get_by_role("button", name="Show the amendments").click()
    page.locator(".import-proposal ins.diff-ins", has_text="public").wait_for()
    assert "Modify paragraph 7" in page.locator(".import-proposal legend").inner_text()
    page.fill("#rationale-0", "Decisions should be public.")
    page.get_by_role("button", name="Propose 1 amendments").click()
    page.wait_for_url(re.compile(r"/amendments$"))
    assert "Proposed 1 amendments" in page.content()
    assert page.locator("ins", has_text="public").count() >= 1
    context.close()
