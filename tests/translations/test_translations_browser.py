"""A translator in a real browser: translate two paragraphs, the source is amended, see the diff."""

import pytest
from playwright.sync_api import expect

PASSWORD = "correct horse battery staple"  # the shared make_user fixture's default


def log_in(page, base, user, next_path):
    page.goto(f"{base}/login?next={next_path}")
    page.fill('input[name="email"]', user.email)
    page.fill('input[name="password"]', PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}{next_path}*")


@pytest.mark.browser
def test_translator_sees_amended_source_as_outdated_with_diff(
    live_server, page, doc, team, french, keys, accept
):
    path = f"/documents/{doc.slug}/translations/fr"
    log_in(page, live_server, team["sophie"], path)

    for key, text in (
        (keys[1], "Tous les groupes participent à égalité."),
        (keys[2], "Chaque version du texte est publique."),
    ):
        row = page.locator(f"#p-{key}")
        row.locator("textarea").fill(text)
        row.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        expect(page.locator(f"#p-{key}")).to_have_attribute("data-state", "translated")
        expect(page.locator(f"#p-{key} .tr-current")).to_contain_text(text)

    # The source paragraph changes by a real amendment, proposed and accepted.
    accept(keys[1], "All stakeholder groups take part in drafting as full equals.")
    page.goto(live_server + path)
    row = page.locator(f"#p-{keys[1]}")
    expect(row).to_have_attribute("data-state", "outdated")
    expect(row.locator(".tr-diff ins")).to_have_text("full ")
    expect(row.locator(".tr-current")).to_contain_text("Tous les groupes participent à égalité.")
    expect(page.locator(f"#p-{keys[2]}")).to_have_attribute("data-state", "translated")

    # Keyboard: "n" goes to the next paragraph needing work, wrapping to the outdated one.
    page.locator(f"#p-{keys[2]}").focus()
    page.keyboard.press("n")
    expect(page.locator(f"#p-{keys[3]}")).to_be_focused()
    page.locator(f"#p-{keys[4]}").focus()
    page.keyboard.press("n")
    expect(page.locator(f"#p-{keys[0]}")).to_be_focused()

    # Bringing it up to date: edit, Ctrl+Enter saves.
    textarea = row.locator("textarea")
    textarea.fill("Tous les groupes participent pleinement à égalité.")
    textarea.press("Control+Enter")
    page.wait_for_load_state()
    expect(page.locator(f"#p-{keys[1]}")).to_have_attribute("data-state", "translated")
