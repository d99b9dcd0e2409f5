"""End to end in a real Chromium: register, log in, read a document, follow a permalink, open a diff."""

import re

import pytest
from playwright.sync_api import expect

from app.documents.services import append_version
from app.extensions import db

PARAGRAPHS = [
    "# Declaration on equal footing",
    "Governments, civil society, the private sector and international organizations draft together.",
    "Every stakeholder group weighs the same, whatever its number of participants.",
    "All archives are public.",
]


@pytest.mark.browser
def test_register_login_read_permalink_and_diff(live_server, page, make_document):
    document = make_document(paragraphs=PARAGRAPHS, slug="equal-footing")
    revised = list(PARAGRAPHS)
    revised[2] = (
        "Every stakeholder group weighs exactly the same, whatever its number of participants."
    )
    append_version(document, revised, cause="import", message="Second reading")
    db.session.commit()
    key = document.current_version.paragraphs[2].key

    # Register: a full participant at once, no accreditation step.
    page.goto(live_server + "/register")
    page.fill("input[name=name]", "Nadia Browser")
    page.fill("input[name=email]", "nadia@example.org")
    page.fill("input[name=password]", "a long and unusual passphrase")
    page.fill("input[name=confirm]", "a long and unusual passphrase")
    page.select_option("select[name=group]", "civil_society")
    page.fill("input[name=organization]", "Open Summit Network")
    page.select_option("select[name=country]", "KE")
    page.get_by_role("button", name="Register").click()
    # The same answer whether the address was free or taken: check your mail, then log in.
    expect(page.locator(".flash")).to_contain_text("Check your mail")
    page.fill("input[name=email]", "nadia@example.org")
    page.fill("input[name=password]", "a long and unusual passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".site-header")).to_contain_text("Nadia Browser")

    # Log out, then log in again with the same credentials.
    page.locator(".site-header").get_by_role("button", name="Log out").click()
    expect(page.locator(".site-header")).not_to_contain_text("Nadia Browser")
    page.goto(live_server + "/login")
    page.fill("input[name=email]", "nadia@example.org")
    page.fill("input[name=password]", "a long and unusual passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".site-header")).to_contain_text("Nadia Browser")

    # Open the document from the list and follow the permalink of paragraph 3.
    page.goto(live_server + "/")
    page.get_by_role("link", name="Declaration on equal footing").click()
    expect(page).to_have_url(re.compile(r"/documents/equal-footing$"))
    page.locator(f"#p-{key} a.num").click()
    expect(page).to_have_url(re.compile(f"#p-{key}$"))
    target = page.locator(f"#p-{key}")
    expect(target).to_contain_text("weighs exactly the same")
    assert page.evaluate("document.querySelector(':target').id") == f"p-{key}"

    # A permalink opened directly lands on the same paragraph.
    page.goto(f"{live_server}/documents/equal-footing#p-{key}")
    assert page.evaluate("document.querySelector(':target').id") == f"p-{key}"

    # Open the diff of Rev.1 and Rev.2: the changed word is marked as inserted.
    page.goto(live_server + "/documents/equal-footing/diff?from=1&to=2")
    expect(page.locator("ins").first).to_contain_text("exactly")
    page.goto(live_server + "/documents/equal-footing/diff?from=1&to=2&mode=side")
    expect(page.locator("ins").first).to_contain_text("exactly")


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["inline", "side"])
def test_keys_move_between_changes_and_folds_open(live_server, page, make_document, mode):
    quiet = [f"Quiet paragraph {n}, the same in both versions." for n in range(20)]
    document = make_document(paragraphs=["Opening words.", *quiet, "Closing words."], slug="keys")
    append_version(document, ["Opening *new* words.", *quiet, "Closing new words."], cause="import")
    db.session.commit()
    keys = [p.key for p in document.current_version.paragraphs]

    page.goto(f"{live_server}/documents/keys/diff?from=1&to=2&mode={mode}")
    expect(page.locator("[data-diff-keys]")).to_be_visible()  # the shortcuts are announced
    page.keyboard.press("j")
    expect(page.locator(f"#d-{keys[0]}")).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator(f"#d-{keys[-1]}")).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator(f"#d-{keys[0]}")).to_be_focused()
    # Typing in a field does not move anything.
    page.locator("#diff-from").focus()
    page.keyboard.press("j")
    expect(page.locator("#diff-from")).to_be_focused()

    # The quiet middle is one folded row; opening it shows its paragraphs.
    fold = page.locator("details.diff-fold")
    expect(fold).to_have_count(1)
    expect(page.get_by_text("Quiet paragraph 10,").first).to_be_hidden()
    fold.locator("summary").click()
    expect(page.get_by_text("Quiet paragraph 10,").first).to_be_visible()
    expect(page.locator("em", has_text="new")).to_be_visible()
