"""Exports in a document's other languages, right-to-left DOCX, and tracked PDFs."""

import io

import pytest
from exports_samples import open_docx
from pypdf import PdfReader

from app.exports.queries import export_compilation, export_diff, export_version
from app.extensions import db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def translated(rich_document, make_user):
    from app.translations.services import add_language, save_translation

    admin = make_user(admin=True)
    add_language(rich_document, "ar", admin)
    key = rich_document.current_version.paragraphs[6].key
    save_translation(
        rich_document, "ar", key, "يقرر المنسقون التعديلات علنا.", admin, check_permission=False
    )
    db.session.commit()
    return rich_document, key


def test_export_in_a_translation(translated):
    document, key = translated
    md, _, name = export_version(document, None, "md", "ar")
    assert name == f"{document.slug}-rev1-ar.md"
    assert "يقرر المنسقون التعديلات علنا." in md.decode()
    word = open_docx(export_version(document, None, "docx", "ar")[0])
    assert word.core_properties.identifier.endswith(":ar")
    assert word.element.body.findall(f".//{W}bidi"), "right-to-left paragraphs"
    html = export_version(document, None, "html", "ar")[0].decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_export_in_a_language_the_document_lacks(rich_document):
    from app.core.errors import NotFound

    with pytest.raises(NotFound):
        export_version(rich_document, None, "md", "de")


def test_compilation_and_diff_as_pdf(rich_document, make_user):
    from exports_samples import RICH_PARAGRAPHS

    from app.amendments.services import propose_amendment
    from app.documents.services import append_version

    author = make_user(group="private_sector", name="Mei Tan")
    key = rich_document.current_version.paragraphs[6].key
    propose_amendment(
        rich_document,
        author,
        kind="modify",
        paragraph=key,
        text="Coordinators decide on amendments in public.",
        rationale="Open.",
    )
    db.session.commit()
    data, mimetype, name = export_compilation(rich_document, "pdf")
    assert name.endswith("-compilation-en.pdf")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Private sector (Mei Tan)" in text and "public" in text
    texts = list(RICH_PARAGRAPHS)
    texts[6] = "Coordinators decide in public."
    append_version(rich_document, texts, cause="publish")
    db.session.commit()
    data, _, name = export_diff(rich_document, "1", "2", "pdf")
    assert name.endswith("-rev1-to-rev2-en.pdf")
    assert "Rev.1 → Rev.2" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_amendments_on_behalf_of_a_body(client, rich_document, make_user, make_token, make_body):
    from exports_samples import keyed_paragraph, save_docx, track_replace

    from app.amendments.models import Amendment

    member = make_user()
    outsider = make_user()
    caucus = make_body("Gender caucus", kind="caucus", team_role=None, members=[member])
    key = rich_document.current_version.paragraphs[6].key
    word = open_docx(export_version(rich_document, None, "docx")[0])
    track_replace(keyed_paragraph(word, key), "in the open", "in public", 400)
    data = save_docx(word)
    url = f"/api/documents/{rich_document.slug}/amendments/import"

    def post(user):
        return client.post(
            url,
            data={
                "file": (io.BytesIO(data), "e.docx"),
                "rationale": "Open.",
                "on_behalf_of": caucus.slug,
            },
            headers={"Authorization": f"Bearer {make_token(user)}"},
        )

    assert post(outsider).status_code == 403
    assert db.session.query(Amendment).count() == 0
    assert post(member).status_code == 201
    assert db.session.query(Amendment).one().on_behalf_body_id == caucus.id


def test_a_translation_docx_is_not_imported_as_the_source(translated, make_user):
    from app.core.errors import ValidationError
    from app.exports import services

    document, _ = translated
    admin = make_user(admin=True)
    data = export_version(document, None, "docx", "ar")[0]
    for action in (
        lambda: services.import_version(document, admin, "ar.docx", data),
        lambda: services.plan_amendments(document, "ar.docx", data),
    ):
        with pytest.raises(ValidationError) as refused:
            action()
        assert refused.value.code == "wrong_language"


def test_competing_amendments_become_word_comments(rich_document, make_user):
    from app.amendments.services import propose_amendment

    key = rich_document.current_version.paragraphs[6].key
    first, second = make_user(group="government"), make_user(group="civil_society")
    for user, text in ((first, "in public"), (second, "openly")):
        propose_amendment(
            rich_document,
            user,
            kind="modify",
            paragraph=key,
            text=f"Coordinators decide on amendments {text}.",
            rationale="Better.",
        )
    db.session.commit()
    word = open_docx(export_compilation(rich_document, "docx")[0])
    inserted = "".join(t.text for e in word.element.body.iter(f"{W}ins") for t in e.iter(f"{W}t"))
    assert "public" in inserted and "openly" not in inserted
    comments = [c.text for c in word.comments]
    assert len(comments) == 1 and "openly" in comments[0]
