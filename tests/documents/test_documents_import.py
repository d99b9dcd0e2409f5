"""`flask drafts import`: files and directories, re-import, and bad files that import nothing."""

from documents_samples import FIRST_DRAFT, SECOND_DRAFT
from sqlalchemy import func, select

from app.documents.models import Document, Version, VersionParagraph
from app.extensions import db


def counts():
    return (
        db.session.scalar(select(func.count(Document.id))),
        db.session.scalar(select(func.count(Version.id))),
        db.session.scalar(select(func.count(VersionParagraph.id))),
    )


def document(slug):
    db.session.expire_all()
    return db.session.scalar(select(Document).where(Document.slug == slug))


def test_import_file_creates_version_one_with_title_and_keys(runner, write_draft):
    path = write_draft("equal-footing.md", FIRST_DRAFT)
    result = runner.invoke(args=["drafts", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    doc = document("equal-footing")
    assert doc.title == "Equal footing in drafting"
    assert doc.status == "drafting"
    version = doc.current_version
    assert (version.number, version.label, version.cause) == (1, "Rev.1", "import")
    texts = [p.text for p in version.paragraphs]
    assert texts[0] == "# Equal footing in drafting"
    assert texts[2].startswith("- Each stakeholder group")  # list items are paragraphs
    assert len(texts) == 6
    assert len({p.key for p in version.paragraphs}) == 6


def test_reimport_changed_file_adds_aligned_version(runner, write_draft):
    path = write_draft("equal-footing.md", FIRST_DRAFT)
    runner.invoke(args=["drafts", "import", str(path)])
    first = {p.text: p.key for p in document("equal-footing").current_version.paragraphs}
    path.write_text(SECOND_DRAFT, encoding="utf-8")
    result = runner.invoke(args=["drafts", "import", str(path)])
    assert result.exit_code == 0 and "Rev.2" in result.output
    version = document("equal-footing").current_version
    assert version.number == 2
    by_text = {p.text: p for p in version.paragraphs}
    # Unchanged paragraphs keep key and blame; the edited one keeps its key, blamed on Rev.2.
    kept = by_text["## Transparency"]
    assert kept.key == first["## Transparency"] and kept.changed_in.number == 1
    edited = version.paragraphs[1]
    assert edited.key == first[FIRST_DRAFT.split("\n\n")[1]]
    assert edited.changed_in.number == 2
    inserted = by_text["- Draft texts are published two weeks before each session."]
    assert inserted.key not in first.values()


def test_unchanged_reimport_says_so_and_adds_nothing(runner, write_draft):
    path = write_draft("equal-footing.md", FIRST_DRAFT)
    runner.invoke(args=["drafts", "import", str(path)])
    before = counts()
    result = runner.invoke(args=["drafts", "import", str(path)])
    assert result.exit_code == 0
    assert "unchanged" in result.output
    assert counts() == before


def test_directory_files_are_successive_versions(runner, write_draft):
    write_draft("best-practice/01-first.md", FIRST_DRAFT)
    write_draft("best-practice/02-second.md", SECOND_DRAFT)
    write_draft("best-practice/notes.txt", "not a draft")
    directory = write_draft("best-practice/README", "x").parent
    result = runner.invoke(args=["drafts", "import", str(directory), "--status", "open"])
    assert result.exit_code == 0, result.output
    doc = document("best-practice")
    assert [v.label for v in doc.versions] == ["Rev.1", "Rev.2"]
    assert doc.versions[0].message == "Imported from 01-first.md"
    assert doc.status == "open"
    # Re-importing the directory adds nothing; a new file adds one version.
    assert "unchanged" in runner.invoke(args=["drafts", "import", str(directory)]).output
    write_draft("best-practice/03-third.md", SECOND_DRAFT + "\nA closing paragraph.\n")
    result = runner.invoke(args=["drafts", "import", str(directory)])
    assert "Rev.3" in result.output
    assert [v.number for v in document("best-practice").versions] == [1, 2, 3]


def test_owner_option_sets_owning_body(runner, write_draft, make_body):
    body = make_body("Drafting team")
    path = write_draft("owned.md", FIRST_DRAFT)
    result = runner.invoke(args=["drafts", "import", str(path), "--owner", body.slug])
    assert result.exit_code == 0, result.output
    assert document("owned").owner_body_id == body.id


def test_unknown_owner_is_an_error(runner, write_draft):
    path = write_draft("owned.md", FIRST_DRAFT)
    result = runner.invoke(args=["drafts", "import", str(path), "--owner", "nobody"])
    assert result.exit_code != 0
    assert "No body with the slug 'nobody'" in result.output
    assert counts() == (0, 0, 0)


def _assert_rejected(runner, paths, message):
    result = runner.invoke(args=["drafts", "import", *map(str, paths)])
    assert result.exit_code != 0
    assert message in result.output
    assert "Nothing was imported" in result.output
    assert counts() == (0, 0, 0)


def test_empty_file_is_rejected_and_nothing_is_imported(runner, write_draft):
    good = write_draft("good.md", FIRST_DRAFT)
    _assert_rejected(runner, [good, write_draft("empty.md", "")], "the file is empty")
    _assert_rejected(runner, [good, write_draft("blank.md", "  \n\n\t\n")], "the file is empty")


def test_binary_files_are_rejected(runner, write_draft):
    good = write_draft("good.md", FIRST_DRAFT)
    _assert_rejected(runner, [good, write_draft("nul.md", b"# T\n\x00\x01\x02")], "binary file")
    _assert_rejected(
        runner, [good, write_draft("latin1.md", "# Caf\xe9\n".encode("latin-1"))], "not UTF-8"
    )
    _assert_rejected(runner, [good, write_draft("ctrl.md", "# T\n\x07bell")], "control characters")


def test_unparsable_file_without_title_is_rejected(runner, write_draft):
    good = write_draft("good.md", FIRST_DRAFT)
    _assert_rejected(
        runner, [good, write_draft("untitled.md", "Just text, no heading.")], "no heading"
    )


def test_bad_version_in_a_directory_imports_no_version_at_all(runner, write_draft):
    write_draft("doc/01.md", FIRST_DRAFT)
    bad = write_draft("doc/02.md", b"\xff\xfe\x00binary")
    _assert_rejected(runner, [bad.parent], "02.md")


def test_missing_path_and_empty_directory(runner, write_draft, tmp_path):
    _assert_rejected(runner, [tmp_path / "nope.md"], "no such file or directory")
    empty = tmp_path / "empty-dir"
    empty.mkdir()
    _assert_rejected(runner, [empty], "no Markdown")


def test_failed_reimport_leaves_existing_document_untouched(runner, write_draft):
    path = write_draft("equal-footing.md", FIRST_DRAFT)
    runner.invoke(args=["drafts", "import", str(path)])
    before = counts()
    bad = write_draft("other.md", b"\x00")
    path.write_text(SECOND_DRAFT, encoding="utf-8")
    result = runner.invoke(args=["drafts", "import", str(path), str(bad)])
    assert result.exit_code != 0
    assert counts() == before


def test_load_demo_imports_every_draft(app, write_draft, make_body):
    from app.documents.demo import load_demo

    body = make_body("Drafting team", slug="drafting-team")
    write_draft("best-practice/01-first-draft.md", FIRST_DRAFT)
    write_draft("best-practice/02-revised-draft.md", SECOND_DRAFT)
    path = write_draft("civil-society-implementation-position.md", "# Position\n\nText.")
    write_draft("translations/best-practice.fr.md", "# Égalité\n")
    write_draft("README.md", "# About\n\nNot a draft.")
    load_demo(path.parent)
    db.session.commit()
    best = document("best-practice")
    assert best.status == "open" and best.owner_body_id == body.id
    assert len(best.versions) == 2
    position = document("civil-society-implementation-position")
    assert position.owner_body_id == body.id and len(position.versions) == 1
    assert document("translations") is None


def test_readme_and_translations_among_drafts_are_skipped(runner, write_draft):
    draft = write_draft("charter.md", FIRST_DRAFT)
    readme = write_draft("README.md", "# About these drafts\n\nNot a draft.")
    translations = write_draft("translations/charter.fr.md", "# Charte\n").parent
    result = runner.invoke(args=["drafts", "import", str(readme), str(draft), str(translations)])
    assert result.exit_code == 0, result.output
    assert "README.md: skipped" in result.output
    assert document("charter") is not None
    assert document("readme") is None and document("translations") is None
