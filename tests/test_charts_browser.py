"""Chart labels stay readable on a phone: at 360 px wide every label of the balance and tally
charts is drawn at 12 px or more (text in a scaled SVG used to shrink to about 8 px)."""

import pytest

from app.extensions import db

GROUPS = ("government", "civil_society", "private_sector", "international_organization")

# For every visible text of the charts: its computed font size and the height of the box its
# characters actually take on screen (a Range over the text nodes, so scaling would show).
MEASURE = """(selector) => {
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const text = el.textContent.trim();
    if (!text || el.closest('.visually-hidden')) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const box = range.getBoundingClientRect();
    out.push({text, size: parseFloat(getComputedStyle(el).fontSize), height: box.height,
              right: box.right});
  }
  return out;
}"""
TEXTS = ".hchart-label, .hchart-value, .hchart-heading, .hchart-seg"


@pytest.fixture
def activity(app, make_user, make_document):
    from app.amendments.services import propose_amendment, set_position

    document = make_document(slug="declaration")
    key = document.current_version.paragraphs[1].key
    people = [make_user(group, country="KE" if n % 2 else "FR") for n, group in enumerate(GROUPS)]
    amendment = propose_amendment(
        document, people[0], kind="modify", paragraph=key, text="New text.", rationale="Why."
    )
    for person, stance in zip(people, ("support", "support", "oppose", "support"), strict=True):
        set_position(amendment, person, stance)
    db.session.commit()
    return amendment


def _measure(page, url):
    page.goto(url)
    page.locator(".hchart").first.wait_for()
    return page.evaluate(MEASURE, TEXTS)


@pytest.mark.browser
def test_chart_labels_are_at_least_12px_on_a_360px_phone(browser, live_server, activity):
    context = browser.new_context(viewport={"width": 360, "height": 640}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        for url, expected in (
            (f"/amendments/{activity.id}", {"Equal weight", "Headcount", "Civil society"}),
            ("/balance", {"Participants (4)", "Positions (4)"}),
            ("/documents/declaration/balance", {"Amendments (1)"}),
        ):
            texts = _measure(page, live_server + url)
            assert expected <= {t["text"] for t in texts}, url
            for t in texts:
                assert t["size"] >= 12, (url, t)
                assert t["height"] >= 12, (url, t)
                assert t["right"] <= 360 + 0.5, (url, t)  # nothing pushed off the screen
            bars = page.evaluate(
                "() => [...document.querySelectorAll('.hchart-bar')]"
                ".map(b => b.getBoundingClientRect().width)"
            )
            assert bars and min(bars) >= 150, (url, bars)  # bars use the phone's width
    finally:
        context.close()
