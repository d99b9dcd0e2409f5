"""The browsable API reference at /api/docs: bundled with the app, no other host, strict CSP."""

import re

import pytest


def test_reference_page_uses_only_own_bundles(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-spec="/api/openapi.json"' in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(re.fullmatch(r"/static/dist/api-docs(-\w+)?\.js", s) for s in sources)
    assert [s for s in sources if s.startswith(("http:", "https:", "//"))] == []


def test_footer_links_to_reference(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/api/docs"' in html


@pytest.mark.browser
def test_reference_renders_operations_without_csp_violations(live_server, browser):
    context = browser.new_context()  # the real Content-Security-Policy, not bypassed
    page = context.new_page()
    violations, foreign = [], []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith(live_server) else None,
    )
    try:
        page.goto(live_server + "/api/docs")
        page.locator(".opblock-summary-path").first.wait_for(timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/api/documents/{slug}" in [p.replace("\u200b", "").strip() for p in paths]
    finally:
        context.close()
    assert violations == []
    assert foreign == []
