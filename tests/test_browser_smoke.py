import pytest


@pytest.mark.browser
def test_home_page_renders_in_chromium(live_server, page, make_document):
    make_document(title="Equal footing in Chromium")
    page.goto(live_server + "/")
    assert page.get_by_text("Equal footing in Chromium").is_visible()
