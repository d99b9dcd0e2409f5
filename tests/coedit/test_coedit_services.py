"""Live texts in the database: creation, publishing, merged amendments, and the JSON API."""

from sqlalchemy import select

from app.coedit.engine import from_delta
from app.coedit.models import EditLog, LiveText
from app.coedit.services import get_or_create_live_text, publish_live_text
from app.documents.services import append_version
from app.extensions import db


def replay(entries) -> str:
    text = ""
    for entry in entries:
        text = from_delta(text, entry["delta"])[1]
    return text


def test_live_text_starts_from_the_current_version(team):
    document = team["document"]
    live = get_or_create_live_text(document, "en")
    db.session.commit()
    assert live.text == document.current_version.markdown and live.rev == 0
    assert get_or_create_live_text(document, None).id == live.id
    log = db.session.scalars(select(EditLog)).all()
    assert [(e.rev, e.user_id) for e in log] == [(0, None)]
    assert from_delta("", log[0].delta)[1] == live.text


def test_merged_amendment_reaches_live_text_and_keeps_live_edits(app, team, sockets):
    document = team["document"]
    sock = sockets(team["member"])
    core = sock.core()
    core.edit(core.text.replace("# Sample declaration", "# Sample declaration (working)"))
    assert sock.sync(core)["ok"]
    sock.events()
    texts = [p.text for p in document.current_version.paragraphs]
    texts[2] = "Every version of the text is public, searchable and kept forever."
    append_version(
        document, texts, author=team["other_member"], cause="amendment", message="Amendment 1"
    )
    db.session.commit()
    text, rev = db.session.execute(select(LiveText.text, LiveText.rev)).one()
    assert rev == 2
    assert "(working)" in text and "public, searchable and kept" in text
    entry = db.session.scalar(select(EditLog).where(EditLog.rev == 2))
    assert entry.user_id == team["other_member"].id
    changed = sock.events("changed")
    assert changed and changed[-1]["args"][0]["rev"] == 2
    sock.sync(core)
    assert core.text == text


def test_publish_does_not_touch_live_text_and_aligns_keys(team):
    document = team["document"]
    live = get_or_create_live_text(document, "en")
    db.session.commit()
    keys = [p.key for p in document.current_version.paragraphs]
    live.text = live.text + "\n\nA brand new closing paragraph."
    live.rev = 1
    db.session.commit()
    version = publish_live_text(document, "en", team["member"], "Weekly publish")
    db.session.commit()
    assert version.cause == "publish" and version.author_id == team["member"].id
    assert [p.key for p in version.paragraphs][: len(keys)] == keys
    assert version.paragraphs[-1].text == "A brand new closing paragraph."
    assert db.session.scalar(select(LiveText.rev)) == 1


def test_api_live_and_log(client, team, sockets):
    response = client.get("/api/documents/declaration/live")
    assert response.status_code == 200
    assert response.json == {
        "text": team["document"].current_version.markdown,
        "rev": 0,
        "lang": "en",
    }
    assert (
        replay(client.get("/api/documents/declaration/live/log?lang=en").json["entries"])
        == response.json["text"]
    )
    sock = sockets(team["member"])
    core = sock.core()
    for word in ("one", "two", "three"):
        core.edit(core.text + " " + word)
        sock.sync(core)
    live = client.get("/api/documents/declaration/live?lang=en").json
    assert live["rev"] == 3 and live["text"] == core.text
    entries = client.get("/api/documents/declaration/live/log").json["entries"]
    assert [e["rev"] for e in entries] == [0, 1, 2, 3]
    assert (
        entries[1]["user"]["name"] == "Member Person"
        and entries[1]["user"]["group"] == "government"
    )
    assert replay(entries) == core.text
    later = client.get("/api/documents/declaration/live/log?after=1&limit=1").json["entries"]
    assert [e["rev"] for e in later] == [2]
    assert client.get("/api/documents/declaration/live?lang=fr").status_code == 404
    assert client.get("/api/documents/nope/live").status_code == 404
    assert client.get("/api/documents/declaration/live/log?limit=x").status_code == 400


def test_api_publish_permissions(client, team, make_token):
    from flask import g

    url = "/api/documents/declaration/publish"
    real_post = client.post

    def post(*args, **kwargs):  # api_user() caches in g, which the test's app context shares
        g.pop("api_user", None)
        return real_post(*args, **kwargs)

    client.post = post
    get_or_create_live_text(team["document"], "en").text += "\n\nPublished through the API."
    db.session.commit()
    assert client.post(url, json={"lang": "en"}).status_code == 401
    outsider = {"Authorization": f"Bearer {make_token(team['outsider'])}"}
    response = client.post(url, json={"lang": "en", "message": "x"}, headers=outsider)
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"
    member = {"Authorization": f"Bearer {make_token(team['member'])}"}
    response = client.post(url, json={"lang": "en", "message": "From the API"}, headers=member)
    assert response.status_code == 201, response.json
    assert response.json["number"] == 2 and response.json["message"] == "From the API"
    again = client.post(url, json={"lang": "en"}, headers=member)
    assert again.status_code == 400  # nothing changed since
    assert client.post(url, json={"lang": "fr"}, headers=member).status_code == 404
    assert client.post(url, json={"message": 5}, headers=member).status_code == 400


def test_openapi_documents_live_routes(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert {
        "/api/documents/{slug}/live",
        "/api/documents/{slug}/live/log",
        "/api/documents/{slug}/publish",
    } <= set(paths)
