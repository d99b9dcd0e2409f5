"""The translation pages: translator's view, conflicts, review, dashboard, document page, RTL."""

import re

from app.extensions import db
from app.translations import services


def save(client, doc, lang, key, text, version, show="all"):
    return client.post(
        f"/documents/{doc.slug}/translations/{lang}/{key}",
        data={"text": text, "version": str(version), "show": show},
    )


def test_translator_view_shows_source_and_diff_for_outdated(
    client, login, doc, team, french, keys, amend
):
    services.save_translation(doc, "fr", keys[1], "Tous les groupes participent.", team["sophie"])
    db.session.commit()
    amend(keys[1], "All stakeholder groups take part in drafting as full equals.")
    login(client, team["sophie"])
    html = client.get(f"/documents/{doc.slug}/translations/fr").get_data(as_text=True)
    row = html[html.index(f'id="p-{keys[1]}"') : html.index(f'id="p-{keys[2]}"')]
    assert 'data-state="outdated"' in row
    assert "Changed in the source since it was translated" in row
    assert '<ins class="diff-ins">full </ins>' in row or '<ins class="diff-ins">full' in row
    assert "Tous les groupes participent." in row
    # The filter shows only the outdated paragraph; the plain link leads to work to do.
    outdated = client.get(f"/documents/{doc.slug}/translations/fr?show=outdated").get_data(
        as_text=True
    )
    assert re.findall(r'data-state="(\w+)"', outdated) == ["outdated"]
    assert f'href="#p-{keys[2]}">Next needing work' in html


def test_save_through_the_page(client, login, doc, team, french, keys):
    login(client, team["sophie"])
    response = save(client, doc, "fr", keys[1], "Tous les groupes.", 0)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#p-{keys[1]}")
    html = client.get(f"/documents/{doc.slug}/translations/fr").get_data(as_text=True)
    assert "Tous les groupes." in html and "Awaiting review by another translator." in html


def test_page_conflict_shows_both_texts_and_keeps_typed_text(
    client, login, doc, team, french, keys
):
    services.save_translation(doc, "fr", keys[1], "Texte de Karim.", team["karim"])
    db.session.commit()
    login(client, team["sophie"])
    response = save(client, doc, "fr", keys[1], "Texte de Sophie.", 0)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "changed this translation while you were editing" in html
    assert "Texte de Karim." in html and "Texte de Sophie." in html
    assert 'name="version" value="1"' in html  # saving again is now deliberate
    assert save(client, doc, "fr", keys[1], "Texte de Sophie.", 1).status_code == 302
    assert services.get_translation(doc, "fr", keys[1]).text == "Texte de Sophie."


def test_empty_save_keeps_form_and_explains(client, login, doc, team, french, keys):
    login(client, team["sophie"])
    response = save(client, doc, "fr", keys[1], "   ", 0)
    assert response.status_code == 400
    assert "cannot be empty" in response.get_data(as_text=True)


def test_review_is_separate_and_never_ones_own(client, login, doc, team, french, keys):
    services.save_translation(doc, "fr", keys[1], "Tous les groupes.", team["sophie"])
    db.session.commit()
    login(client, team["sophie"])
    url = f"/documents/{doc.slug}/translations/fr/{keys[1]}/review"
    assert client.post(url, data={"version": "1"}).status_code == 403
    login(client, team["karim"])
    assert client.post(url, data={"version": "1"}).status_code == 302
    html = client.get(f"/documents/{doc.slug}/translations/fr").get_data(as_text=True)
    assert "reviewed by Karim Haddad" in html


def test_outsiders_read_but_cannot_write(client, login, doc, team, french, keys):
    assert client.get(f"/documents/{doc.slug}/translations/fr").status_code == 200
    anonymous = save(client, doc, "fr", keys[1], "Texte.", 0)
    assert anonymous.status_code in (302, 403)
    if anonymous.status_code == 302:
        assert "/login" in anonymous.headers["Location"]
    login(client, team["outsider"])
    html = client.get(f"/documents/{doc.slug}/translations/fr").get_data(as_text=True)
    assert "<textarea" not in html
    assert save(client, doc, "fr", keys[1], "Texte.", 0).status_code == 403
    assert (
        client.post(f"/documents/{doc.slug}/translations", data={"lang": "de"}).status_code == 403
    )
    assert services.get_translation(doc, "fr", keys[1]) is None


def test_add_language_page(client, login, doc, team):
    login(client, team["karim"])
    page = client.get(f"/documents/{doc.slug}/translations").get_data(as_text=True)
    assert "Arabic" in page and 'lang="ar" dir="rtl"' in page  # UN languages offered
    response = client.post(f"/documents/{doc.slug}/translations", data={"lang": "zz-top"})
    assert response.status_code == 400 and "not a known language code" in response.get_data(
        as_text=True
    )
    response = client.post(f"/documents/{doc.slug}/translations", data={"lang": "ar"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/translations/ar")


def test_unknown_language_and_key_pages(client, login, doc, team, french):
    assert client.get(f"/documents/{doc.slug}/translations/es").status_code == 404
    assert client.get(f"/documents/{doc.slug}/translations/zz").status_code == 400
    login(client, team["sophie"])
    assert save(client, doc, "fr", "nosuchkey", "Texte.", 0).status_code == 404


def test_rtl_attributes_in_translator_view(client, login, doc, team, keys):
    services.add_language(doc, "ar", team["karim"])
    services.save_translation(doc, "ar", keys[1], "جميع أصحاب المصلحة.", team["karim"])
    db.session.commit()
    login(client, team["karim"])
    html = client.get(f"/documents/{doc.slug}/translations/ar").get_data(as_text=True)
    assert re.search(
        r'<div class="tr-current" lang="ar" dir="rtl"><p>جميع أصحاب المصلحة.</p>', html
    )
    assert f'<textarea id="text-{keys[1]}" name="text" rows="4" lang="ar" dir="rtl">' in html
    assert '<div lang="en" dir="ltr">' in html  # the source column keeps its own direction


def test_dashboard_shows_a_bar_per_language(client, doc, team, french, keys):
    services.add_language(doc, "ar", team["karim"])
    services.save_translation(doc, "fr", keys[1], "Tous.", team["sophie"])
    db.session.commit()
    html = client.get("/translations").get_data(as_text=True)
    assert html.count('class="tr-bar" role="img"') == 2
    assert (
        "French: 0 reviewed (0.0%), 1 translated (20.0%), 0 outdated (0.0%), 4 missing (80.0%)"
        in html
    )
    per_document = client.get(f"/documents/{doc.slug}/translations").get_data(as_text=True)
    assert per_document.count('class="tr-bar" role="img"') == 2


def test_document_page_in_a_language(client, doc, team, french, keys, amend):
    services.add_language(doc, "ar", team["karim"])
    services.save_translation(doc, "fr", keys[1], "Tous les groupes.", team["sophie"])
    services.save_translation(doc, "fr", keys[2], "Chaque version.", team["sophie"])
    services.save_translation(doc, "ar", keys[1], "جميع المجموعات.", team["karim"])
    db.session.commit()
    amend(keys[2], "Every version is public.")
    html = client.get(f"/documents/{doc.slug}?lang=fr").get_data(as_text=True)
    assert "Tous les groupes." in html
    assert "Chaque version." in html  # the old translation, marked outdated
    assert "Every version is public." not in html
    assert "Translators keep every language in step" in html  # missing: source shown
    # The language switcher panel links every language, with native names.
    assert re.search(r'href="/documents/charter\?lang=ar"[^>]*lang="ar" dir="rtl"', html)
    assert "Translation progress" in html
    arabic = client.get(f"/documents/{doc.slug}?lang=ar").get_data(as_text=True)
    assert re.search(rf'id="p-{keys[1]}"[^>]*lang="ar" dir="rtl"', arabic)
    assert client.get(f"/documents/{doc.slug}?lang=es").status_code == 404


def test_document_tab_registered(client, doc):
    html = client.get(f"/documents/{doc.slug}/translations").get_data(as_text=True)
    assert f'href="/documents/{doc.slug}/translations" aria-current="page">Translations</a>' in html


def test_paragraph_history_page(client, doc, team, french, keys):
    services.save_translation(doc, "fr", keys[1], "Premier.", team["sophie"])
    services.save_translation(doc, "fr", keys[1], "Second.", team["karim"])
    db.session.commit()
    html = client.get(f"/documents/{doc.slug}/translations/fr/{keys[1]}/history").get_data(
        as_text=True
    )
    assert html.index("Second.") < html.index("Premier.")


def test_older_version_read_with_the_translation_of_its_time(
    client, doc, team, french, keys, amend
):
    services.save_translation(doc, "fr", keys[1], "Ancienne traduction.", team["sophie"])
    db.session.commit()
    amend(keys[1], "All groups take part as full equals.")
    services.save_translation(doc, "fr", keys[1], "Nouvelle traduction.", team["sophie"])
    db.session.commit()
    old = client.get(f"/documents/{doc.slug}/versions/1?lang=fr").get_data(as_text=True)
    assert "Ancienne traduction." in old and "Nouvelle traduction." not in old
    current = client.get(f"/documents/{doc.slug}?lang=fr").get_data(as_text=True)
    assert "Nouvelle traduction." in current and "Ancienne traduction." not in current
