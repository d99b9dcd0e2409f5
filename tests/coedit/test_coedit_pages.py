"""The live draft's pages through the Flask test client: live, preview, publish, replay."""

import re

import pytest
from sqlalchemy import select

from app.documents.models import Version
from app.extensions import db


@pytest.fixture
def drafting(make_user, make_body, make_document):
    """A document owned by a drafting team with one member, plus an outsider."""
    member = make_user(group="government", name="Member Person")
    outsider = make_user(group="private_sector", name="Outside Person")
    body = make_body("Drafting team", members=[member])
    document = make_document(owner=body)
    return document, member, outsider


def test_live_page_for_anonymous_follows_without_publish_form(client, drafting):
    document, _, _ = drafting
    response = client.get(f"/documents/{document.slug}/live")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-mode="follow"' in html
    assert 'id="coedit-publish"' not in html
    assert "All stakeholder groups take part in drafting as equals." in html
    assert re.search(r"dist/coedit(-[A-Z0-9]{8})?\.js\"", html)
    assert 'aria-current="page"' in html and "Live draft" in html


def test_live_page_for_outsider_is_read_only(client, login, drafting):
    document, _, outsider = drafting
    login(client, outsider)
    html = client.get(f"/documents/{document.slug}/live").get_data(as_text=True)
    assert 'data-mode="follow"' in html
    assert 'id="coedit-publish"' not in html


def test_live_page_for_drafting_member_offers_editing_and_publishing(client, login, drafting):
    document, member, _ = drafting
    login(client, member)
    html = client.get(f"/documents/{document.slug}/live").get_data(as_text=True)
    assert 'data-mode="edit"' in html
    assert 'id="coedit-publish"' in html
    assert f'data-user-id="{member.id}"' in html


def test_admin_may_edit(client, login, make_user, drafting):
    document, _, _ = drafting
    login(client, make_user(admin=True))
    assert 'data-mode="edit"' in client.get(f"/documents/{document.slug}/live").get_data(
        as_text=True
    )


def test_live_page_of_unknown_document_or_language_is_404(client, drafting):
    document, _, _ = drafting
    assert client.get("/documents/no-such-thing/live").status_code == 404
    assert client.get(f"/documents/{document.slug}/live?lang=xx").status_code == 404


def test_document_tab_is_registered():
    from app.documents import hooks

    tab = next(tab for tab in hooks.TABS if tab.endpoint == "coedit.live")
    assert (tab.label, tab.order) == ("Live draft", 50)


def test_preview_renders_sanitised_markdown(client, drafting):
    document, _, _ = drafting
    response = client.post(
        f"/documents/{document.slug}/live/preview",
        json={
            "text": "# Title\n\nSome *emphasis* <script>alert(1)</script>\n\n[x](javascript:alert(1))"
        },
    )
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<h1>Title</h1>" in html
    assert "<em>emphasis</em>" in html
    assert "<script>" not in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize("body", [None, {"text": 5}, ["text"], {"other": "x"}])
def test_preview_refuses_bad_input(client, drafting, body):
    document, _, _ = drafting
    response = client.post(f"/documents/{document.slug}/live/preview", json=body)
    assert response.status_code == 400


def test_preview_refuses_oversized_text(app, client, drafting):
    document, _, _ = drafting
    app.config["COEDIT_MAX_TEXT"] = 100
    response = client.post(f"/documents/{document.slug}/live/preview", json={"text": "x" * 101})
    assert response.status_code == 413


def _set_live_text(document, text):
    from app.coedit.services import get_or_create_live_text

    live = get_or_create_live_text(document, document.language)
    live.text = text
    live.rev += 1
    db.session.commit()


def test_publish_requires_login_and_membership(client, login, drafting):
    document, _, outsider = drafting
    response = client.post(f"/documents/{document.slug}/live/publish", data={"message": "x"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
    login(client, outsider)
    response = client.post(f"/documents/{document.slug}/live/publish", data={"message": "x"})
    assert response.status_code == 403
    assert (
        len(db.session.scalars(select(Version).where(Version.document_id == document.id)).all())
        == 1
    )


def test_publish_creates_the_next_version(client, login, drafting):
    document, member, _ = drafting
    login(client, member)
    client.get(f"/documents/{document.slug}/live")
    text = document.current_version.markdown + "\n\nA paragraph written live."
    _set_live_text(document, text)
    response = client.post(
        f"/documents/{document.slug}/live/publish",
        data={"message": "Added a live paragraph"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    version = document.current_version
    assert version.number == 2
    assert version.message == "Added a live paragraph"
    assert version.author_id == member.id
    assert version.paragraphs[-1].text == "A paragraph written live."
    # The first paragraphs kept their keys.
    first = db.session.scalar(
        select(Version).where(Version.document_id == document.id, Version.number == 1)
    )
    assert [p.key for p in version.paragraphs[:4]] == [p.key for p in first.paragraphs]
    # The new version is the current one: the publisher lands on the document page.
    assert response.headers["Location"].endswith(f"/documents/{document.slug}")


def test_publish_without_changes_adds_no_version(client, login, drafting):
    document, member, _ = drafting
    login(client, member)
    response = client.post(f"/documents/{document.slug}/live/publish", data={"message": "Nothing"})
    assert response.status_code in (302, 400)
    db.session.expire_all()
    assert document.current_version.number == 1


def test_publish_keeps_an_overlong_message_in_the_form(client, login, drafting):
    document, member, _ = drafting
    login(client, member)
    response = client.post(f"/documents/{document.slug}/live/publish", data={"message": "m" * 2001})
    assert response.status_code == 400
    assert "m" * 2001 in response.get_data(as_text=True)
    db.session.expire_all()
    assert document.current_version.number == 1


def test_replay_page_renders_for_anyone(client, drafting):
    document, _, _ = drafting
    response = client.get(f"/documents/{document.slug}/live/replay")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'data-log-url="/api/documents/{document.slug}/live/log"' in html
    assert re.search(r"dist/coedit-replay(-[A-Z0-9]{8})?\.js\"", html)
    assert client.get("/documents/missing/live/replay").status_code == 404


def test_the_live_page_only_reads(client, login, drafting):
    """A GET creates no live text: it shows the current version at rev 0 until someone joins."""
    from sqlalchemy import event, func

    from app.coedit.models import LiveText

    document, member, _ = drafting
    writes = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        anonymous = client.get(f"/documents/{document.slug}/live")
        login(client, member)
        editor = client.get(f"/documents/{document.slug}/live")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert anonymous.status_code == editor.status_code == 200
    assert 'data-rev="0"' in editor.get_data(as_text=True)
    assert "All stakeholder groups take part in drafting as equals." in editor.get_data(
        as_text=True
    )
    assert writes == []
    assert db.session.scalar(select(func.count(LiveText.id))) == 0
