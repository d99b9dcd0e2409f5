"""The site's icon: an SVG with an ICO fallback, linked from every page and at /favicon.ico."""

import re


def test_favicon_ico_is_served_without_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header


def test_pages_link_the_svg_icon_and_its_fallback(client, login, make_user):
    for signed_in in (False, True):
        if signed_in:
            login(client, make_user())
        html = client.get("/").get_data(as_text=True)
        svg = re.search(
            r'<link rel="icon" href="([^"]+\.svg(?:\?v=\w+)?)" type="image/svg\+xml">', html
        )
        assert svg, html[:1000]
        assert '<link rel="icon" href="/favicon.ico"' in html
        icon = client.get(svg.group(1))
        assert icon.status_code == 200 and b"<svg" in icon.data
