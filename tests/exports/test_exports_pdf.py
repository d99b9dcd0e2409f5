"""PDFs in the six UN languages: text extractable, fonts embedded, page numbers."""

import io

import pytest
from pypdf import PdfReader

from app.exports.queries import export_version

SAMPLES = {
    "en": ["# Participation of stakeholders", "Every stakeholder group takes part as equals."],
    "fr": [
        "# Participation des parties prenantes",
        "Chaque groupe participe sur un pied d'égalité.",
    ],
    "es": ["# Participación de las partes interesadas", "Cada grupo participa en pie de igualdad."],
    "ru": ["# Участие заинтересованных сторон", "Каждая группа участвует на равных."],
    "zh": ["# 利益攸关方的参与", "每个利益攸关方群体平等参与。"],
    "ar": ["# مشاركة أصحاب المصلحة", "تشارك كل مجموعة على قدم المساواة."],
}


def _fonts(reader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


@pytest.mark.parametrize("lang", list(SAMPLES))
def test_pdf_in_each_un_language(make_document, lang):
    paragraphs = SAMPLES[lang] + [f"Paragraph {n} of the sample text." for n in range(60)]
    document = make_document(paragraphs=paragraphs, language=lang)
    data, mimetype, name = export_version(document, None, "pdf")
    assert mimetype == "application/pdf"
    assert name == f"{document.slug}-rev1-{lang}.pdf"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text()
    assert "Rev.1" in first
    if lang == "ar":
        # Joined Arabic comes out as presentation forms in some extractors: compare the fonts.
        assert any("noto-sans-arabic" in font for font in _fonts(reader)), _fonts(reader)
        assert any(0x0600 <= ord(c) <= 0x06FF or 0xFE70 <= ord(c) <= 0xFEFF for c in first)
    else:
        assert SAMPLES[lang][1].rstrip("。.") in first.replace("\n", " ")
        assert document.title in first
    if lang == "zh":
        assert any("noto-sans-sc" in font for font in _fonts(reader)), _fonts(reader)
    last = reader.pages[-1].extract_text()
    assert f"{len(reader.pages)} / {len(reader.pages)}" in last
