"""Pages and API of exports and imports: links, downloads, uploads, permissions, bad files."""

import io
import zipfile

from exports_samples import keyed_paragraph, open_docx, save_docx, track_replace

from app.amendments.models import Amendment
from app.documents.models import Document, Version
from app.extensions import db


def _upload(data, name="edited.docx", **fields):
    return {"file": (io.BytesIO(data), name), **fields}


def test_links_on_document_compilation_and_diff_pages(client, rich_document):
    slug = rich_document.slug
    page = client.get(f"/documents/{slug}").get_data(as_text=True)
    assert f"/documents/{slug}/export?version=1&amp;format=docx" in page
    assert "format=akn" in page and "format=pdf" in page
    compilation = client.get(f"/documents/{slug}/compilation").get_data(as_text=True)
    assert f"/documents/{slug}/compilation/export?format=docx" in compilation
    diff = client.get(f"/documents/{slug}/diff").get_data(as_text=True)
    assert f"/documents/{slug}/diff/export?format=docx" in diff


def test_page_and_api_downloads(client, rich_document):
    slug = rich_document.slug
    response = client.get(f"/documents/{slug}/export?format=md")
    assert response.status_code == 200
    assert f"filename={slug}-rev1-en.md" in response.headers["Content-Disposition"]
    response = client.get(f"/api/documents/{slug}/versions/1/export?format=akn")
    assert response.status_code == 200 and b"akomaNtoso" in response.data
    bad = client.get(f"/api/documents/{slug}/versions/1/export?format=exe")
    assert bad.status_code == 400 and bad.json["error"]["code"] == "bad_format"
    assert client.get(f"/api/documents/{slug}/versions/7/export?format=md").status_code == 404


def test_compilation_docx_has_each_amendment_as_a_revision(client, rich_document, make_user):
    from app.amendments.services import propose_amendment

    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    author = make_user(group="government", name="Lucas Pereira")
    keys = [p.key for p in rich_document.current_version.paragraphs]
    propose_amendment(
        rich_document,
        author,
        kind="modify",
        paragraph=keys[6],
        text="Coordinators decide on amendments in public.",
        rationale="Clearer.",
    )
    propose_amendment(
        rich_document, author, kind="delete", paragraph=keys[2], rationale="Not needed."
    )
    propose_amendment(
        rich_document,
        author,
        kind="insert",
        after=keys[3],
        text="A new point.",
        rationale="Missing.",
    )
    db.session.commit()
    response = client.get(f"/api/documents/{rich_document.slug}/compilation/export?format=docx")
    assert response.status_code == 200
    body = open_docx(response.data).element.body
    insertions = body.findall(f".//{W}ins")
    deletions = body.findall(f".//{W}del")
    assert insertions and deletions
    authors = {e.get(f"{W}author") for e in insertions + deletions}
    assert authors == {"Government (Lucas Pereira)"}
    assert all(e.get(f"{W}date") for e in insertions + deletions)
    deleted_text = "".join(t.text for t in body.iter(f"{W}delText"))
    assert "the open" in deleted_text and "the charter" in deleted_text
    inserted_text = "".join(t.text for e in insertions for t in e.iter(f"{W}t"))
    assert "public" in inserted_text and "A new point." in inserted_text
    html = client.get(f"/api/documents/{rich_document.slug}/compilation/export?format=html")
    assert b"Government (Lucas Pereira)" in html.data


def test_diff_docx(client, rich_document):
    from exports_samples import RICH_PARAGRAPHS

    from app.documents.services import append_version

    texts = list(RICH_PARAGRAPHS)
    texts[6] = "Coordinators decide in public."
    append_version(rich_document, texts, cause="publish")
    db.session.commit()
    response = client.get(
        f"/api/documents/{rich_document.slug}/diff/export?from=1&to=2&format=docx"
    )
    assert response.status_code == 200
    assert "rev1-to-rev2" in response.headers["Content-Disposition"]
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = open_docx(response.data).element.body
    assert "".join(t.text for t in body.iter(f"{W}delText")).strip()


def test_api_imports(client, rich_document, make_user, make_token):
    admin = make_user(admin=True)
    token = {"Authorization": f"Bearer {make_token(admin)}"}
    created = client.post(
        "/api/documents/import",
        data=_upload(b"# Access\n\nEveryone has access.\n", "access.md"),
        headers=token,
    )
    assert created.status_code == 201, created.json
    data = client.get(f"/api/documents/{rich_document.slug}/versions/1/export?format=docx").data
    same = client.post(
        f"/api/documents/{rich_document.slug}/import", data=_upload(data), headers=token
    )
    assert same.status_code == 200 and same.json["unchanged"] is True
    anonymous = client.post(f"/api/documents/{rich_document.slug}/import", data=_upload(data))
    assert anonymous.status_code == 401


def test_api_amendments_from_tracked_changes(client, rich_document, make_user, make_token):
    user = make_user()
    token = {"Authorization": f"Bearer {make_token(user)}"}
    key = rich_document.current_version.paragraphs[6].key
    word = open_docx(client.get(f"/documents/{rich_document.slug}/export?format=docx").data)
    track_replace(keyed_paragraph(word, key), "in the open", "in public", 700)
    data = save_docx(word)
    url = f"/api/documents/{rich_document.slug}/amendments/import"
    missing = client.post(url, data=_upload(data), headers=token)
    assert missing.status_code == 400 and missing.json["error"]["code"] == "rationale_required"
    plan = client.post(url, data=_upload(data, dry_run="1", rationale="Why"), headers=token)
    assert plan.status_code == 200 and plan.json["amendments"][0]["kind"] == "modify"
    assert db.session.query(Amendment).count() == 0
    done = client.post(url, data=_upload(data, rationale="Public decisions."), headers=token)
    assert done.status_code == 201, done.json
    amendment = db.session.query(Amendment).one()
    assert amendment.text == "Coordinators decide on amendments in public."


def test_upload_pages_permissions(client, login, rich_document, make_user):
    participant = make_user()
    login(client, participant)
    for url in ("/documents/import", f"/documents/{rich_document.slug}/import"):
        page = client.get(url)  # says who may import, without a form
        assert page.status_code == 200 and "Only" in page.get_data(as_text=True)
        assert 'type="file"' not in page.get_data(as_text=True)
        assert client.post(url, data={}).status_code in (400, 403)
    assert client.get(f"/documents/{rich_document.slug}/amendments/import").status_code == 200


def test_amendment_upload_page_previews_then_proposes(app, client, login, rich_document, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    user = make_user()
    login(client, user)
    key = rich_document.current_version.paragraphs[6].key
    word = open_docx(client.get(f"/documents/{rich_document.slug}/export?format=docx").data)
    track_replace(keyed_paragraph(word, key), "in the open", "in public", 700)
    url = f"/documents/{rich_document.slug}/amendments/import"
    review = client.post(
        url, data=_upload(save_docx(word), step="upload"), content_type="multipart/form-data"
    )
    page = review.get_data(as_text=True)
    assert review.status_code == 200 and "Modify paragraph 7" in page and "(required)" in page
    assert db.session.query(Amendment).count() == 0
    form = {
        "step": "confirm",
        "count": "1",
        "version": "1",
        "kind_0": "modify",
        "paragraph_0": key,
        "number_0": "7",
        "text_0": "Coordinators decide on amendments in public.",
        "base_0": "",
        "rationale_0": "Public decisions.",
    }
    done = client.post(url, data=form)
    assert done.status_code == 302
    assert db.session.query(Amendment).one().proposer_id == user.id


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _bad_files(good: bytes) -> dict:
    document_xml = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>'
    )
    return {
        "not a zip": (b"just some text that is not a zip", "file.docx"),
        "pdf": (b"%PDF-1.7 not a word file", "file.docx"),
        "encrypted": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "file.docx"),
        "corrupt zip": (good[: len(good) // 2], "file.docx"),
        "macro": (good, "file.docm"),
        "macro parts": (
            _zip(
                {
                    "[Content_Types].xml": CONTENT_TYPES.replace(
                        b"document.main", b"document.macroEnabled.main"
                    ),
                    "word/document.xml": document_xml,
                    "word/vbaProject.bin": b"x",
                }
            ),
            "file.docx",
        ),
        "bomb": (
            _zip(
                {
                    "[Content_Types].xml": CONTENT_TYPES,
                    "word/document.xml": document_xml,
                    "word/media/zeros.bin": b"\0" * (60 * 1024 * 1024),
                }
            ),
            "file.docx",
        ),
        "entities": (
            _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": xxe}),
            "file.docx",
        ),
        "no paragraphs": (
            _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document_xml}),
            "file.docx",
        ),
        "oversize": (b"PK" + b"\0" * (6 * 1024 * 1024), "file.docx"),
        "other zip": (_zip({"readme.txt": b"hello"}), "file.docx"),
    }


def test_bad_files_are_refused_fast_and_store_nothing(client, rich_document, make_user, make_token):
    admin = make_user(admin=True)
    token = {"Authorization": f"Bearer {make_token(admin)}"}
    good = client.get(f"/documents/{rich_document.slug}/export?format=docx").data
    urls = [
        "/api/documents/import",
        f"/api/documents/{rich_document.slug}/import",
        f"/api/documents/{rich_document.slug}/amendments/import",
    ]
    for label, (data, name) in _bad_files(good).items():
        for url in urls:
            response = client.post(url, data=_upload(data, name, rationale="x"), headers=token)
            assert response.status_code in (400, 413), (label, url, response.status_code)
            assert response.json["error"]["message"], (label, url)
    assert db.session.query(Document).count() == 1
    assert db.session.query(Version).count() == 1
    assert db.session.query(Amendment).count() == 0


def test_cli_export(runner, rich_document, tmp_path):
    out = tmp_path / "out.docx"
    result = runner.invoke(
        args=["drafts", "export", rich_document.slug, "--format", "docx", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert open_docx(out.read_bytes()).core_properties.identifier.startswith("agora:")
    result = runner.invoke(
        args=["drafts", "export", rich_document.slug, "--format", "akn", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0 and (tmp_path / f"{rich_document.slug}-rev1-en.xml").exists()
    missing = runner.invoke(args=["drafts", "export", "nope", "--format", "md"])
    assert missing.exit_code != 0 and "No document" in missing.output


def test_admin_import_pages(app, client, login, rich_document, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, make_user(admin=True))
    created = client.post(
        "/documents/import",
        data=_upload(b"# Access\n\nEveryone has access.\n", "access.md"),
        content_type="multipart/form-data",
    )
    assert created.status_code == 302 and "/documents/access" in created.location
    unknown = client.post(
        "/documents/import",
        data=_upload(b"# Other\n\ntext\n", "other.md", owner="no-such-body"),
        content_type="multipart/form-data",
    )
    assert unknown.status_code == 400 and "no-such-body" in unknown.get_data(as_text=True)
    bad = client.post(
        f"/documents/{rich_document.slug}/import",
        data=_upload(b"not a zip", "x.docx"),
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "not a Word" in bad.get_data(as_text=True)
    assert db.session.query(Version).count() == 2
