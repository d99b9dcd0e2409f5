"""XLIFF 2.0 and 1.2: export, edit with translate-toolkit, import; bad files change nothing."""

import pytest
from translate.storage import xliff as xliff1
from translate.storage import xliff2

from app.extensions import db
from app.translations import services
from app.translations.models import Translation, TranslationRevision

STORES = {"2": xliff2.Xliff2File, "1.2": xliff1.xlifffile}


def auth(make_token, user):
    return {"Authorization": f"Bearer {make_token(user)}"}


def export(client, doc, lang, version):
    response = client.get(f"/api/documents/{doc.slug}/translations/{lang}/xliff?version={version}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/xliff+xml")
    return response.data


def unit_id(version, unit):
    return unit.xmlelement.get("id") if version == "1.2" else unit.getid()


def edit(data, version, targets: dict) -> bytes:
    store = STORES[version].parsestring(data)
    for unit in store.getunits():
        key = unit_id(version, unit)
        if key in targets:
            unit.target = targets[key]
            unit.marktranslated()
    return bytes(store)


def upload(client, doc, lang, data, headers):
    return client.post(
        f"/api/documents/{doc.slug}/translations/{lang}/xliff",
        data=data,
        headers={**headers, "Content-Type": "application/xliff+xml"},
    )


def snapshot():
    return (
        db.session.query(Translation.key, Translation.text, Translation.version)
        .order_by(Translation.key)
        .all(),
        db.session.query(TranslationRevision).count(),
    )


@pytest.mark.parametrize("version", ["2", "1.2"])
def test_round_trip(client, make_token, doc, team, french, keys, version):
    services.save_translation(doc, "fr", keys[0], "# Charte de participation", team["sophie"])
    services.review_translation(doc, "fr", keys[0], team["karim"])
    db.session.commit()
    data = export(client, doc, "fr", version)
    store = STORES[version].parsestring(data)
    units = {unit_id(version, u): u for u in store.getunits()}
    assert list(units) == keys
    assert units[keys[1]].source == "All stakeholder groups take part in drafting as equals."
    assert units[keys[3]].source == "- Amendments are weighed with equal weight per group."
    assert units[keys[0]].target == "# Charte de participation" and units[keys[0]].isapproved()
    assert store.gettargetlanguage() == "fr"
    edited = edit(
        data,
        version,
        {
            keys[1]: "Tous les groupes participent à égalité.",
            keys[3]: "- Les amendements ont un poids égal par groupe.",
        },
    )
    response = upload(client, doc, "fr", edited, auth(make_token, team["karim"]))
    assert response.status_code == 200, response.json
    report = response.json
    assert (report["applied"], report["unchanged"], report["refused"]) == (2, 3, 0)
    outcomes = {unit["id"]: unit["outcome"] for unit in report["units"]}
    assert outcomes[keys[1]] == "applied" and outcomes[keys[0]] == "unchanged"
    translation = services.get_translation(doc, "fr", keys[3])
    assert translation.text == "- Les amendements ont un poids égal par groupe."
    assert translation.revisions[-1].origin == "xliff"
    # The reviewed paragraph stays reviewed; exporting again gives the new targets.
    body = client.get(f"/api/documents/{doc.slug}/translations/fr").json
    assert [p["state"] for p in body["paragraphs"]] == [
        "reviewed",
        "translated",
        "missing",
        "translated",
        "missing",
    ]


@pytest.mark.parametrize("version", ["2", "1.2"])
def test_unit_with_changed_source_is_refused(
    client, make_token, doc, team, french, keys, amend, version
):
    data = export(client, doc, "fr", version)
    amend(keys[2], "Every version of the text is public, and kept forever.")
    edited = edit(
        data, version, {keys[1]: "Tous les groupes.", keys[2]: "Chaque version est publique."}
    )
    report = upload(client, doc, "fr", edited, auth(make_token, team["sophie"])).json
    outcomes = {unit["id"]: unit for unit in report["units"]}
    assert outcomes[keys[1]]["outcome"] == "applied"
    assert outcomes[keys[2]]["outcome"] == "refused"
    assert "source paragraph changed" in outcomes[keys[2]]["message"]
    assert services.get_translation(doc, "fr", keys[2]) is None


def test_outdated_export_carries_state_and_note(client, doc, team, french, keys, amend):
    services.save_translation(doc, "fr", keys[1], "Tous les groupes.", team["sophie"])
    db.session.commit()
    amend(keys[1], "All groups take part.")
    data = export(client, doc, "fr", "2")
    assert b'state="initial"' in data and b"It translated:" in data
    store = xliff2.Xliff2File.parsestring(data)
    unit = next(u for u in store.getunits() if u.getid() == keys[1])
    assert unit.source == "All groups take part." and unit.target == "Tous les groupes."
    assert (
        upload(client, doc, "fr", data, {"Authorization": "x"}).status_code == 401
    )  # imports need a token


def test_untouched_outdated_unit_stays_outdated(client, make_token, doc, team, french, keys, amend):
    services.save_translation(doc, "fr", keys[1], "Tous les groupes.", team["sophie"])
    db.session.commit()
    amend(keys[1], "All groups take part.")
    data = export(client, doc, "fr", "1.2")
    report = upload(client, doc, "fr", data, auth(make_token, team["sophie"])).json
    assert report["applied"] == 0
    body = client.get(f"/api/documents/{doc.slug}/translations/fr").json
    assert body["paragraphs"][1]["state"] == "outdated"


BAD_FILES = {
    "not xml": (b"this is not XML at all", 400, "not well-formed XML"),
    "malformed": (
        b'<?xml version="1.0"?><xliff version="2.0"><file><unit id="a">',
        400,
        "not well-formed",
    ),
    "not xliff": (b'<?xml version="1.0"?><html><body/></html>', 400, "not XLIFF"),
    "entities": (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><xliff version="2.0"/>',
        400,
        "DOCTYPE",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_are_refused_and_nothing_applied(client, make_token, doc, team, french, name):
    data, status, message = BAD_FILES[name]
    before = snapshot()
    response = upload(client, doc, "fr", data, auth(make_token, team["sophie"]))
    assert response.status_code == status and message in response.json["error"]["message"]
    assert snapshot() == before


def test_wrong_language_or_document_refused_atomically(
    client, make_token, make_document, doc, team, french, keys
):
    headers = auth(make_token, team["sophie"])
    services.add_language(doc, "ar", team["sophie"])
    db.session.commit()
    arabic = edit(export(client, doc, "ar", "2"), "2", {keys[1]: "جميع المجموعات."})
    before = snapshot()
    response = upload(client, doc, "fr", arabic, headers)
    assert (
        response.status_code == 400
        and "Arabic (ar) translation, not French (fr)" in response.json["error"]["message"]
    )
    other = make_document(paragraphs=["# Other", "Another text."], slug="other")
    services.add_language(other, "fr", team["sophie"])
    db.session.commit()
    foreign = edit(export(client, other, "fr", "1.2"), "1.2", {})
    response = upload(client, doc, "fr", foreign, headers)
    assert (
        response.status_code == 400
        and "another document ('other')" in response.json["error"]["message"]
    )
    assert snapshot() == before


def test_unknown_keys_are_reported_not_applied(client, make_token, doc, team, french, keys):
    data = export(client, doc, "fr", "2").replace(f'id="{keys[4]}"'.encode(), b'id="zzzzzzzz"')
    edited = edit(data, "2", {"zzzzzzzz": "Inconnu.", keys[1]: "Tous."})
    report = upload(client, doc, "fr", edited, auth(make_token, team["sophie"])).json
    outcomes = {unit["id"]: unit for unit in report["units"]}
    assert (
        outcomes["zzzzzzzz"]["outcome"] == "refused"
        and "No paragraph" in outcomes["zzzzzzzz"]["message"]
    )
    assert outcomes[keys[1]]["outcome"] == "applied"


def test_too_large_is_refused(app, client, make_token, doc, team, french, keys):
    app.config["XLIFF_MAX_BYTES"] = 2000
    data = export(client, doc, "fr", "2")
    big = edit(data, "2", {keys[1]: "x" * 3000})
    before = snapshot()
    response = upload(client, doc, "fr", big, auth(make_token, team["sophie"]))
    assert (
        response.status_code == 413 and "larger than the limit" in response.json["error"]["message"]
    )
    assert snapshot() == before


def test_import_permissions_and_version_param(client, make_token, doc, team, french):
    data = export(client, doc, "fr", "2")
    assert upload(client, doc, "fr", data, auth(make_token, team["outsider"])).status_code == 403
    assert (
        client.get(f"/api/documents/{doc.slug}/translations/fr/xliff?version=3").status_code == 400
    )
    assert client.get(f"/api/documents/{doc.slug}/translations/es/xliff").status_code == 404


def test_import_page_reports_per_unit(client, login, doc, team, french, keys):
    import io

    data = edit(export(client, doc, "fr", "1.2"), "1.2", {keys[1]: "Tous les groupes."})
    login(client, team["sophie"])
    response = client.post(
        f"/documents/{doc.slug}/translations/fr/xliff",
        data={"file": (io.BytesIO(data), "charter.fr.xlf")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>1</strong> applied" in html
    bad = client.post(
        f"/documents/{doc.slug}/translations/fr/xliff",
        data={"file": (io.BytesIO(b"<nope"), "x.xlf")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "Nothing was imported" in bad.get_data(as_text=True)
    download = client.get(f"/documents/{doc.slug}/translations/fr/xliff?version=1.2")
    assert 'filename="charter.fr.xliff12.xlf"' in download.headers["Content-Disposition"]
