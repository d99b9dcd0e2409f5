"""Translation rows of the JSON API."""

from app.extensions import db
from app.translations import services


def auth(make_token, user):
    return {"Authorization": f"Bearer {make_token(user)}"}


def test_add_language_and_read_aligned_paragraphs(client, make_token, doc, team, keys):
    headers = auth(make_token, team["karim"])
    response = client.post(
        f"/api/documents/{doc.slug}/translations", json={"lang": "AR"}, headers=headers
    )
    assert response.status_code == 201
    assert response.json["lang"] == "ar" and response.json["dir"] == "rtl"
    assert response.json["missing"] == {"count": 5, "percent": 100.0}
    again = client.post(
        f"/api/documents/{doc.slug}/translations", json={"lang": "ar"}, headers=headers
    )
    assert again.status_code == 409
    body = client.get(f"/api/documents/{doc.slug}/translations/ar").json
    assert body["dir"] == "rtl" and body["source_language"] == "en"
    assert [p["key"] for p in body["paragraphs"]] == keys
    assert body["paragraphs"][1] == {
        "key": keys[1],
        "number": 2,
        "state": "missing",
        "source": "All stakeholder groups take part in drafting as equals.",
        "translation": None,
    }
    listing = client.get(f"/api/documents/{doc.slug}/translations").json
    assert [item["lang"] for item in listing["languages"]] == ["ar"]


def test_put_with_optimistic_version(client, make_token, doc, team, french, keys):
    sophie, karim = auth(make_token, team["sophie"]), auth(make_token, team["karim"])
    url = f"/api/documents/{doc.slug}/translations/fr/{keys[1]}"
    first = client.put(url, json={"text": "Tous les groupes.", "version": 0}, headers=sophie)
    assert first.status_code == 200 and first.json["translation"]["version"] == 1
    assert (
        client.put(url, json={"text": "Par Karim.", "version": 1}, headers=karim).status_code == 200
    )
    stale = client.put(url, json={"text": "Par Sophie.", "version": 1}, headers=sophie)
    assert stale.status_code == 409
    error = stale.json["error"]
    assert error["code"] == "conflict"
    assert error["current"]["text"] == "Par Karim." and error["current"]["version"] == 2
    assert error["yours"]["text"] == "Par Sophie."
    state = client.get(f"/api/documents/{doc.slug}/translations/fr").json["paragraphs"][1]
    assert state["state"] == "translated" and state["translation"]["text"] == "Par Karim."


def test_review_through_api(client, make_token, doc, team, french, keys):
    services.save_translation(doc, "fr", keys[1], "Tous.", team["sophie"])
    db.session.commit()
    url = f"/api/documents/{doc.slug}/translations/fr/{keys[1]}/review"
    own = client.post(url, json={}, headers=auth(make_token, team["sophie"]))
    assert own.status_code == 403 and "own translation" in own.json["error"]["message"]
    assert client.post(url, json={}, headers=auth(make_token, team["karim"])).status_code == 200
    body = client.get(f"/api/documents/{doc.slug}/translations/fr").json
    assert body["paragraphs"][1]["state"] == "reviewed"
    assert body["paragraphs"][1]["translation"]["reviewer"]["name"] == "Karim Haddad"


def test_api_bad_input(client, make_token, doc, team, french, keys):
    sophie = auth(make_token, team["sophie"])
    base = f"/api/documents/{doc.slug}/translations"
    assert client.post(base, json={"lang": "zz"}, headers=sophie).status_code == 400
    assert client.post(base, json={}, headers=sophie).status_code == 400
    assert client.post(base, json={"lang": "de"}).status_code == 401
    assert (
        client.post(
            base, json={"lang": "de"}, headers=auth(make_token, team["outsider"])
        ).status_code
        == 403
    )
    assert client.get(f"{base}/es").status_code == 404
    assert client.get(f"{base}/zz").status_code == 400
    assert client.get("/api/documents/nope/translations/fr").status_code == 404
    missing_key = client.put(f"{base}/fr/nosuchkey", json={"text": "x"}, headers=sophie)
    assert missing_key.status_code == 404 and "no paragraph" in missing_key.json["error"]["message"]
    assert client.put(f"{base}/fr/{keys[1]}", json={"text": ""}, headers=sophie).status_code == 400
    assert (
        client.put(f"{base}/fr/{keys[1]}", json={"version": 0}, headers=sophie).status_code == 400
    )
    assert (
        client.put(
            f"{base}/fr/{keys[1]}", json={"text": "x", "version": "1"}, headers=sophie
        ).status_code
        == 400
    )
    assert client.put(f"{base}/fr/{keys[1]}", data="nope", headers=sophie).status_code == 400


def test_documents_api_takes_lang(client, doc, team, french, keys):
    services.save_translation(doc, "fr", keys[1], "Tous les groupes.", team["sophie"])
    db.session.commit()
    response = client.get(f"/api/documents/{doc.slug}?lang=fr")
    assert response.status_code == 200
    paragraphs = response.json["paragraphs"]
    assert paragraphs[1]["text"] == "Tous les groupes."
    assert paragraphs[1].get("state") == "translated" and paragraphs[1].get("lang") == "fr"
    assert paragraphs[2].get("state") == "missing"
    assert paragraphs[2]["text"] == "Every version of the text is public and kept forever."
    assert client.get(f"/api/documents/{doc.slug}?lang=es").status_code == 404


def test_openapi_describes_translation_rows(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert "post" in paths["/api/documents/{slug}/translations"]
    assert "get" in paths["/api/documents/{slug}/translations/{lang}"]
    assert "409" in paths["/api/documents/{slug}/translations/{lang}/{key}"]["put"]["responses"]
    assert {"get", "post"} <= set(paths["/api/documents/{slug}/translations/{lang}/xliff"])
