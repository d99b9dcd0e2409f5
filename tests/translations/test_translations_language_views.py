"""Language views beyond the text page: the Atom feed, right-to-left sources, the switcher on
every document page, the API's `lang`, and saves that race each other."""

import contextlib
import re
import threading
from xml.etree import ElementTree as ET

import pytest

from app.core.errors import Conflict
from app.core.languages import direction_of
from app.extensions import db
from app.translations import languages, services

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_direction_helper_is_shared():
    assert [direction_of(t) for t in ("ar", "AR", "he", "fa-IR", "fr", "en", "", None)] == [
        "rtl",
        "rtl",
        "rtl",
        "rtl",
        "ltr",
        "ltr",
        "ltr",
        "ltr",
    ]
    assert languages.direction("ar") == "rtl" == languages.language("ar").dir


# --- Atom feed in a language -----------------------------------------------------------------


def test_feed_in_a_language(client, doc, team, french, keys, accept):
    accept(keys[1], "All stakeholder groups take part in drafting as full equals.")
    response = client.get(f"/documents/{doc.slug}/feed.atom?lang=fr")
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    assert root.get(XML_LANG) == "fr"
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"].endswith(f"/documents/{doc.slug}/feed.atom?lang=fr")
    assert links["alternate"].endswith(f"/documents/{doc.slug}?lang=fr")
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").endswith("?lang=fr")
    # The source-language feed is unchanged: English, links to the diffs.
    source = ET.fromstring(client.get(f"/documents/{doc.slug}/feed.atom").data)
    assert source.get(XML_LANG) == "en"
    assert "lang=" not in source.find(f"{ATOM}entry/{ATOM}link").get("href")
    # Case does not matter; a language the document lacks is a 404, junk a 400.
    upper = ET.fromstring(client.get(f"/documents/{doc.slug}/feed.atom?lang=FR").data)
    assert upper.get(XML_LANG) == "fr"
    assert client.get(f"/documents/{doc.slug}/feed.atom?lang=de").status_code == 404
    assert client.get(f"/documents/{doc.slug}/feed.atom?lang=<x>").status_code == 400


def test_document_page_feed_link_carries_lang(client, doc, french):
    html = client.get(f"/documents/{doc.slug}?lang=fr").get_data(as_text=True)
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml"[^>]*'
        rf'href="/documents/{doc.slug}/feed.atom\?lang=fr"',
        html,
    )
    assert f'href="/documents/{doc.slug}/feed.atom?lang=fr" type="application/atom+xml"' in html
    plain = client.get(f"/documents/{doc.slug}").get_data(as_text=True)
    assert f'href="/documents/{doc.slug}/feed.atom"' in plain


# --- right-to-left source --------------------------------------------------------------------

ARABIC = [
    "# ميثاق المشاركة",
    "تشارك جميع مجموعات أصحاب المصلحة على قدم المساواة.",
    "كل نسخة علنية.",
]


@pytest.fixture
def arabic_doc(make_document):
    return make_document(paragraphs=ARABIC, slug="mithaq", language="ar")


def test_rtl_source_document_reads_right_to_left(client, arabic_doc):
    html = client.get("/documents/mithaq").get_data(as_text=True)
    assert re.search(r'<article class="doc-text"[^>]* lang="ar" dir="rtl"', html)
    sections = re.findall(r'<section class="paragraph"[^>]*>', html)
    assert len(sections) == 3
    assert all('lang="ar" dir="rtl"' in section for section in sections)
    # An old version too.
    assert 'dir="ltr"' not in "".join(sections)


def test_rtl_source_paragraphs_keep_their_direction_in_a_translation(client, arabic_doc, team):
    services.add_language(arabic_doc, "fr", team["sophie"])
    key = arabic_doc.current_version.paragraphs[1].key
    services.save_translation(arabic_doc, "fr", key, "Tous les groupes, à égalité.", team["sophie"])
    db.session.commit()
    html = client.get("/documents/mithaq?lang=fr").get_data(as_text=True)
    assert re.search(r'<article class="doc-text"[^>]* lang="fr" dir="ltr"', html)
    assert f'data-key="{key}" lang="fr" dir="ltr"' in html
    # Untranslated paragraphs show the Arabic source, marked as such and right to left.
    assert html.count('lang="ar" dir="rtl">') >= 2
    api = client.get("/api/documents/mithaq").get_json()
    assert api["paragraphs"][0]["text"] == ARABIC[0]


def test_ltr_source_on_an_english_page_adds_no_attributes(client, doc):
    html = client.get(f"/documents/{doc.slug}").get_data(as_text=True)
    assert '<article class="doc-text" aria-label' in html
    assert not re.search(r'<article class="doc-text"[^>]* dir=', html)


# --- language switcher on every document page -----------------------------------------------


def test_language_switcher_on_every_document_page(client, login, doc, team, french, keys, amend):
    amend(keys[1], "All stakeholder groups take part in drafting as full equals.")
    slug = doc.slug
    switcher = re.compile(r'<nav class="languages"[^>]*>(.*?)</nav>', re.S)
    pages = {
        f"/documents/{slug}/diff": f'href="/documents/{slug}?lang=fr"',
        f"/documents/{slug}/paragraphs/{keys[1]}": f'href="/documents/{slug}?lang=fr"',
        f"/documents/{slug}/translations": f'href="/documents/{slug}?lang=fr"',
        f"/documents/{slug}/versions": f'href="/documents/{slug}/versions?lang=fr"',
    }
    for path, link in pages.items():
        html = client.get(path).get_data(as_text=True)
        found = switcher.search(html)
        assert found, path
        assert link in found.group(1), path
        assert f'href="/documents/{slug}"' in found.group(1) or "versions" in path
    login(client, team["sophie"])
    for path in (
        f"/documents/{slug}/translations/fr",
        f"/documents/{slug}/translations/fr/{keys[1]}/history",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        found = switcher.search(response.get_data(as_text=True))
        assert found and f'href="/documents/{slug}?lang=fr"' in found.group(1), path


def test_versions_list_in_a_language_links_versions_in_it(client, doc, french, keys, amend):
    amend(keys[1], "All stakeholder groups take part in drafting as full equals.")
    html = client.get(f"/documents/{doc.slug}/versions?lang=fr").get_data(as_text=True)
    assert f'href="/documents/{doc.slug}/versions/1?lang=fr"' in html
    assert f'href="/documents/{doc.slug}/feed.atom?lang=fr"' in html
    assert re.search(r'versions\?lang=fr"[^>]*aria-current="true"', html)
    assert client.get(f"/documents/{doc.slug}/versions?lang=de").status_code == 404
    old = client.get(f"/documents/{doc.slug}/versions/1?lang=fr")
    assert old.status_code == 200
    assert 'aria-current="true"' in old.get_data(as_text=True)


# --- API -------------------------------------------------------------------------------------


def test_api_normalises_lang(client, doc, french):
    data = client.get(f"/api/documents/{doc.slug}?lang=FR").get_json()
    assert data["lang"] == "fr"
    assert {p["lang"] for p in data["paragraphs"]} == {"en"}  # all missing, source shown
    version = client.get(f"/api/documents/{doc.slug}/versions/1?lang=Fr").get_json()
    assert version["lang"] == "fr"


def test_api_put_without_version_does_not_overwrite(client, make_token, doc, team, french, keys):
    headers = {"Authorization": f"Bearer {make_token(team['sophie'])}"}
    url = f"/api/documents/{doc.slug}/translations/fr/{keys[1]}"
    first = client.put(url, json={"text": "Tous les groupes."}, headers=headers)
    assert first.status_code == 200  # a new translation needs no version
    again = client.put(url, json={"text": "Écrasé ?"}, headers=headers)
    assert again.status_code == 409
    error = again.get_json()["error"]
    assert error["code"] == "version_required" and "version" in error["message"]
    db.session.expire_all()
    assert services.get_translation(doc, "fr", keys[1]).text == "Tous les groupes."
    ok = client.put(
        url, json={"text": "Tous les groupes, à égalité.", "version": 1}, headers=headers
    )
    assert ok.status_code == 200 and ok.get_json()["translation"]["version"] == 2


# --- concurrent saves ------------------------------------------------------------------------


def test_concurrent_saves_of_the_same_version_one_wins(app, doc, team, french, keys, monkeypatch):
    """Two workers read version 1 and both save: exactly one write lands, the other gets 409."""
    services.save_translation(doc, "fr", keys[1], "Version 1.", team["sophie"])
    db.session.commit()
    doc_id, sophie_id, karim_id = doc.id, team["sophie"].id, team["karim"].id
    # Both workers pass the version check before either writes (utcnow is called after it).
    barrier = threading.Barrier(2, timeout=3)
    real_utcnow = services.utcnow

    def rendezvous():
        # On PostgreSQL the row lock holds the other worker back until this one commits.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return real_utcnow()

    monkeypatch.setattr(services, "utcnow", rendezvous)
    outcomes: dict[str, object] = {}

    def worker(name, user_id, text):
        from app.accounts.models import User
        from app.documents.models import Document

        with app.app_context():
            try:
                document = db.session.get(Document, doc_id)
                user = db.session.get(User, user_id)
                services.save_translation(document, "fr", keys[1], text, user, expected_version=1)
                db.session.commit()
                outcomes[name] = "saved"
            except Conflict:
                db.session.rollback()
                outcomes[name] = "conflict"
            except Exception as error:  # noqa: BLE001  (reported by the assertion below)
                db.session.rollback()
                outcomes[name] = repr(error)
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=worker, args=("sophie", sophie_id, "Texte de Sophie.")),
        threading.Thread(target=worker, args=("karim", karim_id, "Texte de Karim.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
    db.session.expire_all()
    saved = services.get_translation(doc, "fr", keys[1])
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    assert saved.version == 2
    assert saved.text == {"sophie": "Texte de Sophie.", "karim": "Texte de Karim."}[winner]
    assert [r.version for r in saved.revisions] == [1, 2]
