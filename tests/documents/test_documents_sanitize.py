"""User-written Markdown and titles never reach a page as active HTML."""

from html.parser import HTMLParser

import pytest

HOSTILE = [
    "<script>alert('x')</script> Raw script in a paragraph.",
    "[click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=) "
    "and [vb](vbscript:msgbox(1)) and [ok](https://example.org/ok)",
    '<img src="x" onerror="alert(1)"> <b style="color:red" onclick="x()">styled</b>',
    '<div onmouseover="steal()">raw block</div>',
    "![pic](javascript:alert(2)) <iframe src='https://evil.example'></iframe>",
    "[entity](&#106;avascript:alert(3)) [upper](JaVaScRiPt:alert(5))",
]
TITLE = "<script>alert('title')</script> & Co"


class TagAudit(HTMLParser):
    """Collect every real element and attribute of a page (escaped text does not count)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.hrefs, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "script" and (
            (found.get("src") or "").startswith("/static/dist/") or found.get("id") == "ui-strings"
        ):
            return  # the page's own bundles and string catalog, not user text
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append(name)
            if name in ("href", "src"):
                self.hrefs.append((value or "").strip().lower())

    def handle_data(self, data):
        self.text.append(data)


def audit(html):
    parser = TagAudit()
    parser.feed(html)
    return parser


@pytest.fixture
def hostile(make_document, add_version):
    document = make_document(paragraphs=HOSTILE, title=TITLE, slug="hostile")
    add_version(document, [*HOSTILE, "<svg onload=alert(4)>"])
    return document


@pytest.mark.parametrize(
    "url",
    [
        "/documents/hostile",
        "/documents/hostile/versions/1",
        "/documents/hostile/diff?from=1&to=2",
        "/documents/hostile/diff?from=1&to=2&mode=side",
        "/documents/hostile/versions",
        "/",
    ],
)
def test_no_active_html_reaches_any_page(client, hostile, url):
    page = audit(client.get(url).get_data(as_text=True))
    # Apart from its own bundles, a page has none of these; user text must not add them.
    assert not {"script", "img", "iframe", "svg", "object", "embed"} & set(page.tags)
    assert not [a for a in page.attributes if a.startswith("on") or a == "style"]
    assert not [h for h in page.hrefs if h.startswith(("javascript:", "data:", "vbscript:"))]
    assert TITLE in "".join(page.text)  # the title is shown as text, escaped


def test_markdown_renders_but_dangerous_parts_are_neutralised(client, hostile):
    html = client.get("/documents/hostile").get_data(as_text=True)
    assert 'href="https://example.org/ok"' in html  # safe links survive
    assert 'rel="noopener noreferrer nofollow"' in html
    assert "<p>&lt;script&gt;alert(" in html  # raw HTML shown as text
    assert "<title>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; Co" in html


def test_api_html_is_sanitised(client, hostile):
    for paragraph in client.get("/api/documents/hostile").get_json()["paragraphs"]:
        page = audit(paragraph["html"])
        assert not {"script", "img", "iframe", "svg"} & set(page.tags)
        assert not [a for a in page.attributes if a.startswith("on") or a == "style"]
        assert not [h for h in page.hrefs if h.startswith(("javascript:", "data:", "vbscript:"))]


def test_feed_escapes_titles(client, hostile):
    body = client.get("/documents/hostile/feed.atom").get_data(as_text=True)
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
