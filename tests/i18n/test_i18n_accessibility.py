"""axe-core (from npm, injected from node_modules: no CDN) on every page kind, in English and
in Arabic, as an administrator (who sees every control): no critical or serious violation."""

import threading
from pathlib import Path

import pytest
from conftest import make_world, page_urls

from app.extensions import db

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
    context = browser.new_context()
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
