"""The Markdown renderer: images never load, and what they describe is kept."""

from app.core.markdown import render_markdown


def test_images_render_as_links_that_keep_their_description():
    html = render_markdown("See ![the <b>chart</b>](https://example.org/chart.png).")
    assert "<img" not in html
    assert '<a href="https://example.org/chart.png"' in html
    assert "[image: the &lt;b&gt;chart&lt;/b&gt;]" in html


def test_image_with_a_script_url_is_not_a_link():
    html = render_markdown("![x](javascript:alert(1)) ![y](data:text/html,hi)")
    assert "<a" not in html and "<img" not in html
