"""Round trips through Word, imports of new documents and versions, tracked changes as amendments."""

import pytest
from exports_samples import (
    RICH_PARAGRAPHS,
    keyed_paragraph,
    open_docx,
    save_docx,
    track_delete_paragraph,
    track_insert_after,
    track_replace,
)

from app.amendments.models import Amendment
from app.core.errors import ValidationError
from app.documents.models import Version
from app.exports import services
from app.exports.queries import export_version
from app.extensions import db


def _keys(document):
    return [p.key for p in document.current_version.paragraphs]


def test_round_trip_adds_no_version(rich_document, make_user):
    admin = make_user(admin=True)
    data = export_version(rich_document, None, "docx")[0]
    assert services.import_version(rich_document, admin, "edited.docx", data) is None
    assert db.session.query(Version).count() == 1


def test_round_trip_with_an_edit_keeps_keys(rich_document, make_user):
    admin = make_user(admin=True)
    keys = _keys(rich_document)
    word = open_docx(export_version(rich_document, None, "docx")[0])
    target = keyed_paragraph(word, keys[6])
    target.runs[-1].text = target.runs[-1].text.replace("in the open", "in public")
    version = services.import_version(rich_document, admin, "edited.docx", save_docx(word))
    db.session.commit()
    assert version.number == 2
    assert [p.key for p in version.paragraphs] == keys
    texts = [p.text for p in version.paragraphs]
    assert texts[:6] == RICH_PARAGRAPHS[:6]  # formatting, links and markers survive verbatim
    assert texts[6] == "Coordinators decide on amendments in public."


def test_new_document_from_docx_and_markdown(app, make_user):
    admin = make_user(admin=True)
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading("Declaration on access", level=1)
    paragraph = word.add_paragraph("Everyone ")
    paragraph.add_run("must").bold = True
    paragraph.add_run(" have access.")
    word.add_paragraph("First point", style="List Bullet")
    document = services.import_document(admin, "declaration.docx", save_docx(word))
    db.session.commit()
    texts = [p.text for p in document.current_version.paragraphs]
    assert document.title == "Declaration on access"
    assert texts == ["# Declaration on access", "Everyone **must** have access.", "- First point"]
    md = services.import_document(admin, "notes.md", b"# Notes\n\nSome *text*.\n")
    assert [p.text for p in md.current_version.paragraphs] == ["# Notes", "Some *text*."]


def test_only_administrators_create_and_managers_import(rich_document, make_user):
    from app.core.errors import Forbidden

    participant = make_user()
    with pytest.raises(Forbidden):
        services.import_document(participant, "x.md", b"# X\n\ntext")
    with pytest.raises(Forbidden):
        services.import_version(rich_document, participant, "x.md", b"# X\n\ntext")


def _edited(document):
    keys = _keys(document)
    word = open_docx(export_version(document, None, "docx")[0])
    modified = keyed_paragraph(word, keys[1])
    track_replace(modified, "as equals", "on an equal footing", 900)
    word.add_comment(modified.runs[0], text="Clearer wording.", author="Word user")
    track_delete_paragraph(keyed_paragraph(word, keys[2]), 910)
    inserted = track_insert_after(keyed_paragraph(word, keys[6]), "Decisions are published.", 920)
    return word, keys, inserted


def test_tracked_changes_become_amendments(rich_document, make_user):
    user = make_user()
    word, keys, _ = _edited(rich_document)
    proposals = services.plan_amendments(rich_document, "edited.docx", save_docx(word))
    summary = [(p.kind, p.paragraph, p.text, p.rationale) for p in proposals]
    assert summary == [
        (
            "modify",
            keys[1],
            "All stakeholder groups take part on an equal footing, with *no* group first.",
            "Clearer wording.",
        ),
        ("delete", keys[2], "", ""),
        ("insert", keys[6], "Decisions are published.", ""),
    ]
    with pytest.raises(ValidationError) as refused:
        services.propose_all(rich_document, user, proposals)
    assert refused.value.code == "rationale_required"
    for proposal in proposals:
        proposal.rationale = proposal.rationale or "Because."
    amendments = services.propose_all(rich_document, user, proposals)
    db.session.commit()
    assert [(a.kind, a.proposer_id) for a in amendments] == [
        ("modify", user.id),
        ("delete", user.id),
        ("insert", user.id),
    ]
    assert amendments[0].rationale == "Clearer wording."


def test_docx_of_another_document_is_refused(rich_document, make_document):
    other = make_document(paragraphs=["# Other", "Other text."], slug="other")
    data = export_version(other, None, "docx")[0]
    with pytest.raises(ValidationError) as refused:
        services.plan_amendments(rich_document, "other.docx", data)
    assert refused.value.code == "wrong_document"


def test_older_version_is_matched_by_keys_or_refused(rich_document, make_user):
    from app.documents.services import append_version

    keys = _keys(rich_document)
    old = open_docx(export_version(rich_document, None, "docx")[0])
    texts = list(RICH_PARAGRAPHS)
    texts[1] = "All stakeholder groups take part as equals, always."
    append_version(rich_document, texts, cause="publish")
    db.session.commit()
    # A change to a paragraph that did not change since: matched by key.
    track_replace(keyed_paragraph(old, keys[6]), "in the open", "in public", 500)
    proposals = services.plan_amendments(rich_document, "old.docx", save_docx(old))
    assert [(p.kind, p.paragraph) for p in proposals] == [("modify", keys[6])]
    # A change to a paragraph that changed since: refused.
    track_replace(keyed_paragraph(old, keys[1]), "as equals", "together", 600)
    with pytest.raises(ValidationError) as refused:
        services.plan_amendments(rich_document, "old.docx", save_docx(old))
    assert refused.value.code == "stale_docx"


def test_an_unchanged_file_proposes_nothing(rich_document):
    data = export_version(rich_document, None, "docx")[0]
    with pytest.raises(ValidationError) as refused:
        services.plan_amendments(rich_document, "same.docx", data)
    assert refused.value.code == "no_changes"
    assert db.session.query(Amendment).count() == 0
