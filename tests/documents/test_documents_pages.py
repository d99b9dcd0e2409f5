"""Document pages through the test client: text, blame, versions, diffs, history, feed, hooks."""

import re
from xml.etree import ElementTree as ET

import pytest
from jinja2 import ChoiceLoader, DictLoader

from app.documents import hooks

PARAGRAPHS = [
    "# Equal footing",
    "Governments, civil society, the private sector and international organizations draft as equals.",
    "Speaking time is shared equally between the four stakeholder groups in every session.",
    "Every version of the text is public.",
]
EDITED = [
    "# Equal footing",
    "Governments, civil society, the private sector and international organizations draft as full equals.",
    "Observers can follow every change through an Atom feed of versions.",
    "Every version of the text is public.",
]


@pytest.fixture
def doc(make_document, add_version):
    document = make_document(paragraphs=PARAGRAPHS, slug="equal-footing")
    add_version(document, EDITED, message="Second reading")
    return document


def keys_of(version):
    return [p.key for p in version.paragraphs]


def test_index_lists_documents_with_status_languages_and_version(client, doc):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/documents/equal-footing"' in html
    assert "Open for amendments" in html
    assert "Rev.2" in html
    assert ">en</a>" in html


def test_document_page_numbers_paragraphs_with_permalinks_and_blame(client, doc):
    response = client.get("/documents/equal-footing")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for key in keys_of(doc.current_version):
        assert f'id="p-{key}"' in html
        assert f'href="#p-{key}"' in html
    assert html.count('aria-hidden="true">#</span>') == 4  # a visible "#" on every paragraph
    blame = re.findall(r'Last changed in\s*<a href="([^"]+)">(Rev\.\d)</a>', html)
    assert [label for _, label in blame] == ["Rev.1", "Rev.2", "Rev.2", "Rev.1"]
    assert (
        blame[1][0]
        == "/documents/equal-footing/diff?to=2&amp;from=1#d-" + keys_of(doc.current_version)[1]
    )
    assert "<h1>Equal footing</h1>" in html
    assert 'method="post"' not in html  # nothing to write for an anonymous visitor


def test_unknown_document_and_version_are_404(client, doc):
    assert client.get("/documents/nothing-here").status_code == 404
    assert client.get("/documents/equal-footing/versions/7").status_code == 404
    assert client.get("/documents/equal-footing/paragraphs/nokey").status_code == 404
    assert client.get("/documents/nothing-here/feed.atom").status_code == 404
    assert client.get("/documents/nothing-here/diff").status_code == 404


def test_version_list_and_old_version(client, doc):
    html = client.get("/documents/equal-footing/versions").get_data(as_text=True)
    assert "Rev.1" in html and "Rev.2" in html and "Second reading" in html
    assert "/documents/equal-footing/diff?to=2&amp;from=1" in html
    old = client.get("/documents/equal-footing/versions/1").get_data(as_text=True)
    assert "Speaking time is shared equally" in old
    assert "not the current version" in old


def test_diff_inline_marks_words_and_paragraphs(client, doc):
    html = client.get("/documents/equal-footing/diff?from=1&to=2").get_data(as_text=True)
    assert '<ins class="diff-ins">full </ins>' in html
    assert "status-deleted" in html and "status-inserted" in html and "status-modified" in html
    assert '<del class="diff-del">Speaking time is shared equally' in html
    assert '<ins class="diff-ins">Observers can follow' in html
    assert re.search(r'<option value="1" selected>Rev\.1', html)
    assert re.search(r'<option value="2" selected>Rev\.2', html)
    assert "1 modified" in html and "1 inserted" in html and "1 deleted" in html


def test_diff_side_by_side_puts_deletions_left_and_insertions_right(client, doc):
    html = client.get("/documents/equal-footing/diff?from=1&to=2&mode=side").get_data(as_text=True)
    row = re.search(
        r'<div class="diff-row status-modified".*?(?=<div class="diff-row)', html, re.S
    ).group(0)
    left, right = row.split('<div class="diff-cell">')[1:3]
    assert "diff-ins" not in left and "diff-del" not in right
    assert '<ins class="diff-ins">full </ins>' in right


def test_diff_defaults_to_previous_and_current(client, doc):
    html = client.get("/documents/equal-footing/diff").get_data(as_text=True)
    assert "Changes from Rev.1 to Rev.2" in html


@pytest.mark.parametrize(
    "query, status, message",
    [
        ("from=abc&to=2", 400, "`from` must be a version number"),
        ("from=1&to=2.5", 400, "`to` must be a version number"),
        ("from=-1&to=2", 400, "`from` must be a version number"),
        ("from=1&to=99", 404, "has no version 99"),
        ("from=0&to=2", 400, "`from` must be a version number"),
        ("from=1&to=2&mode=fancy", 400, "`mode` must be inline or side"),
    ],
)
def test_diff_bad_parameters(client, doc, query, status, message):
    response = client.get(f"/documents/equal-footing/diff?{query}")
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_moved_paragraph_in_diff(client, make_document, add_version):
    document = make_document(paragraphs=PARAGRAPHS, slug="moving")
    add_version(document, [PARAGRAPHS[0], PARAGRAPHS[3], PARAGRAPHS[1], PARAGRAPHS[2]])
    html = client.get("/documents/moving/diff?from=1&to=2").get_data(as_text=True)
    assert "Moved from ¶4" in html
    assert "1 moved" in html


def test_paragraph_history_shows_each_change_with_its_diff(client, doc, add_version):
    key = doc.versions[0].paragraphs[1].key
    add_version(doc, EDITED[:1] + EDITED[2:])  # Rev.3 deletes the paragraph
    html = client.get(f"/documents/equal-footing/paragraphs/{key}").get_data(as_text=True)
    kinds = re.findall(r'class="history-event kind-(\w+)"', html)
    assert kinds == ["deleted", "changed", "added"]
    assert '<ins class="diff-ins">full </ins>' in html
    assert "no longer in the current version" in html


def test_atom_feed_is_valid_atom_with_links_to_diffs(client, doc):
    response = client.get("/documents/equal-footing/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.data)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for required in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert root.find(required, ns) is not None, required
    entries = root.findall("a:entry", ns)
    assert len(entries) == 2
    for entry in entries:
        for required in ("a:id", "a:title", "a:updated", "a:link"):
            assert entry.find(required, ns) is not None
    newest = entries[0]
    assert "Rev.2" in newest.find("a:title", ns).text
    link = newest.find("a:link", ns).get("href")
    assert "/documents/equal-footing/diff?" in link and "from=1" in link and "to=2" in link
    assert "1 paragraphs modified, 1 inserted, 1 deleted" in newest.find("a:summary", ns).text


@pytest.fixture
def extra_hooks(app, monkeypatch):
    """Register a tab, panels, a context provider and a localizer for one test only."""
    monkeypatch.setattr(hooks, "TABS", [*hooks.TABS, hooks.Tab("documents.versions", "Extra", 99)])
    monkeypatch.setattr(hooks, "PARAGRAPH_PANELS", ["test/para.html"])
    monkeypatch.setattr(hooks, "DOCUMENT_PANELS", ["test/doc.html"])
    monkeypatch.setattr(
        hooks,
        "CONTEXT_PROVIDERS",
        [
            lambda document, version, lang: {"pending": {"count": 3, "lang": lang or "-"}},
        ],
    )

    def localize(document, version, lang, paragraphs):
        if lang != "ar":
            from app.core.errors import NotFound

            raise NotFound("No such language.")
        states = ["translated", "outdated", "missing", "reviewed"]
        return [
            {
                **p,
                "text": f"نص {i}" if states[i % 4] != "missing" else p["text"],
                "state": states[i % 4],
                "lang": "ar",
                "dir": "rtl",
            }
            for i, p in enumerate(paragraphs)
        ]

    monkeypatch.setattr(hooks, "LOCALIZERS", [localize])
    monkeypatch.setattr(hooks, "LANGUAGE_LISTERS", [lambda document: ["ar"]])
    original = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader(
        [
            DictLoader(
                {
                    "test/para.html": '<p class="panel-under">key={{ paragraph.key }} n={{ pending.count }}</p>',
                    "test/doc.html": '<p class="doc-panel">lang={{ pending.lang }}</p>',
                }
            ),
            original,
        ]
    )
    app.jinja_env.cache.clear() if app.jinja_env.cache else None
    yield
    app.jinja_env.loader = original


def test_hooks_add_tabs_panels_and_context(client, doc, extra_hooks):
    html = client.get("/documents/equal-footing").get_data(as_text=True)
    assert ">Extra</a>" in html
    for key in keys_of(doc.current_version):
        assert f'<p class="panel-under">key={key} n=3</p>' in html
    assert '<p class="doc-panel">lang=-</p>' in html
    assert 'href="/documents/equal-footing?lang=ar"' in html  # language switcher


def test_translation_view_marks_language_direction_and_state(client, doc, extra_hooks):
    response = client.get("/documents/equal-footing?lang=ar")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(re.findall(r'data-key="[^"]+" lang="ar" dir="rtl"', html)) == 4
    assert re.search(r'<article class="doc-text"[^>]* lang="ar" dir="rtl"', html)
    assert "نص 0" in html
    assert "Outdated translation" in html
    assert "Not translated yet" in html
    assert html.count('class="translation-state') == 2
    assert '<p class="doc-panel">lang=ar</p>' in html
    assert client.get("/documents/equal-footing?lang=fr").status_code == 404
    assert client.get("/documents/equal-footing?lang=<x>").status_code == 400


def test_api_lists_registered_languages(client, doc, extra_hooks):
    data = client.get("/api/documents").get_json()
    assert data["documents"][0]["languages"] == ["en", "ar"]
    paragraphs = client.get("/api/documents/equal-footing?lang=ar").get_json()["paragraphs"]
    assert paragraphs[1]["state"] == "outdated" and paragraphs[1]["dir"] == "rtl"
