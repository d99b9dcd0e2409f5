"""axe-core (from npm, injected from node_modules: no CDN) on every page kind, in English and
in Arabic, as an administrator (who sees every control): no critical or serious violation."""

import threading
from pathlib import Path

import pytest
from conftest import page_urls

from app.extensions import db
from tests.support.routes import make_world

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"critical", "serious"}
PASSWORD = "agora-demo-2026"


@pytest.fixture(scope="module")
def served_world(tmp_path_factory, _postgres_schema):
    from werkzeug.serving import make_server

    app, values, actors = make_world(tmp_path_factory, _postgres_schema, "axe")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["SITE_ORIGIN"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", values
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def log_in(page, base, email):
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
        " target: v.nodes[0] && v.nodes[0].target.join(' ')}))"
    )
    return [f"{v['id']} x{v['nodes']} ({v['target']})" for v in result if v["impact"] in SERIOUS]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_serious_accessibility_violation_on_any_page_kind(served_world, browser, language):
    base, values = served_world
    # axe-core is injected as an inline script, which the pages' Content Security Policy refuses.
    context = browser.new_context(bypass_csp=True)
    host = base.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "ui_language", "value": language, "domain": host, "path": "/"}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, "admin@example.org")
    problems = {}
    try:
        for endpoint, url in page_urls(values):
            response = page.goto(base + url)
            if response is None or response.status != 200:
                continue
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            assert page.locator("html").get_attribute("lang") == language
            found = serious_violations(page)
            if found:
                problems[endpoint] = found
    finally:
        context.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in sorted(problems.items()))


@pytest.mark.browser
@pytest.mark.slow
def test_switch_to_arabic_propose_an_amendment_and_see_the_tally(served_world, browser):
    """All in Arabic and right to left, from the home page's switcher to the tally."""
    import re

    base, values = served_world
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(base + "/")
        assert page.locator("html").get_attribute("dir") == "ltr"
        page.get_by_role("link", name="العربية").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "ar"
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.get_by_role("link", name="الوثائق").first.is_visible()

        page.get_by_role("link", name="تسجيل الدخول").first.click()
        page.fill("input[name=email]", "mei@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="تسجيل الدخول").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("dir") == "rtl"

        page.goto(f"{base}/documents/{values['slug']}?lang=en")  # amend the source text
        # Numbers inside Arabic labels are bidi isolates (U+2068 ... U+2069).
        page.get_by_role("link", name=re.compile("^تعديل الفقرة \u20682\u2069$")).click()
        editor = page.locator("textarea#text")
        editor.fill(editor.input_value() + " (نص مقترح)")
        page.fill("textarea#rationale", "توضيح الصياغة.")
        page.get_by_role("button", name="اقتراح التعديل").click()
        page.wait_for_url(re.compile(r"/amendments/\d+$"))
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator(".flash-success").inner_text().startswith("تم اقتراح التعديل رقم")
        assert page.get_by_role("heading", name="حصيلة المواقف").is_visible()

        page.get_by_role("button", name="تأييد").click()
        page.wait_for_selector('button[aria-pressed="true"]')
        summary = page.locator(".tally-summary").first.inner_text()
        assert "الوزن المتساوي" in summary and "100" in summary
        heading = page.locator("main h1").inner_text()
        assert heading.startswith("التعديل رقم") and not re.search(r"[A-Za-z]{3,}", heading)
        # The page is laid out right to left: the main column starts at the right edge.
        direction = page.evaluate("getComputedStyle(document.querySelector('main')).direction")
        assert direction == "rtl"
    finally:
        context.close()


def tabs_to(page, selector: str) -> int:
    """Tab presses from the top of the page until `selector` has the focus."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    return tabs_to_from_here(page, selector)


def tabs_to_from_here(page, selector: str, limit: int = 100) -> int:
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return presses
    return limit + 1


@pytest.mark.browser
@pytest.mark.slow
def test_a_paragraphs_amend_action_is_a_few_tab_presses_away(served_world, browser):
    base, values = served_world
    context = browser.new_context()
    page = context.new_page()
    try:
        log_in(page, base, "mei@example.org")
        page.goto(f"{base}/documents/{values['slug']}")
        keys = page.eval_on_selector_all(
            "[data-paragraph]", "els => els.map(e => e.dataset.paragraph)"
        )
        amend = '[data-paragraph="{}"] .amend-actions a:first-child'
        # "Skip to the text" is the second stop; it puts the focus start at the text.
        assert tabs_to(page, "a.skip[href='#doc-text']") == 2
        page.keyboard.press("Enter")
        first = tabs_to_from_here(page, amend.format(keys[0]))
        second = first + tabs_to_from_here(page, amend.format(keys[1]))
        assert first <= 5
        # The next paragraph's "Amend" comes after its number and its own few links (blame,
        # pending amendments) only: its insert/delete/status actions show on focus, after it.
        assert second - first <= 8
    finally:
        context.close()
