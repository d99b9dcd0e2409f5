"""The demo: partial French and Arabic versions of best-practice, one paragraph outdated."""

from app.documents.services import append_version
from app.extensions import db
from app.translations.demo import load_demo
from app.translations.queries import aligned_paragraphs, document_languages

V1 = [
    "# Best practice",
    "Stakeholders take part as equals.",
    "- Every text is public.",
    "Versions are kept.",
]
V2 = [
    "# Best practice",
    "Stakeholders take part as full equals.",
    "- Every text is public.",
    "Versions are kept.",
]


def test_demo_loads_partial_versions_with_an_outdated_paragraph(tmp_path, make_document, team):
    document = make_document(paragraphs=V1, slug="best-practice")
    append_version(document, V2, cause="import")
    db.session.commit()
    (tmp_path / "translations").mkdir()
    (tmp_path / "translations" / "best-practice.fr.md").write_text(
        "# Bonnes pratiques\n\nLes parties prenantes participent à égalité.\n\n- Chaque texte est public.\n",
        encoding="utf-8",
    )
    (tmp_path / "translations" / "best-practice.ar.md").write_text(
        "# أفضل الممارسات\n\nيشارك أصحاب المصلحة على قدم المساواة.\n", encoding="utf-8"
    )
    load_demo(tmp_path)
    db.session.commit()
    assert document_languages(document) == ["fr", "ar"]
    french = aligned_paragraphs(document, "fr")
    assert [row.state for row in french] == ["reviewed", "outdated", "reviewed", "missing"]
    assert french[1].translation.source_text == "Stakeholders take part as equals."
    assert french[0].translation.translator.email == "sophie@example.org"
    assert french[0].translation.reviewer.email == "karim@example.org"
    arabic = aligned_paragraphs(document, "ar")
    assert [row.state for row in arabic] == ["reviewed", "outdated", "missing", "missing"]


def test_demo_skips_without_document_or_files(tmp_path, make_document, team):
    load_demo(tmp_path)  # no best-practice document: nothing happens
    document = make_document(paragraphs=V1, slug="best-practice")
    load_demo(tmp_path)  # no translation files
    db.session.commit()
    assert document_languages(document) == []
