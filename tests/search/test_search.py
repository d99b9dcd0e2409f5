"""One search over the platform: every kind of content, in English, French, Arabic and Chinese.

Runs on PostgreSQL too when TEST_DATABASE_URL is set: the same requests, the same answers.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.amendments.proceedings import add_comment
from app.amendments.services import propose_amendment
from app.bodies.services import create_body
from app.discussion import services as discussion
from app.extensions import db
from app.moderation.services import file_report, hide_report
from app.search.models import SearchEntry
from app.search.text import highlight, index_text, search_terms
from app.translations.services import add_language, save_translation

DRAFT = Path(__file__).resolve().parents[2] / "drafts" / "civil-society-implementation-position.md"


@pytest.fixture
def corpus(make_user, make_document):
    """A little of everything, each piece with words of its own in four languages."""
    admin = make_user(admin=True, name="Admin Person", group="government")
    amina = make_user(name="أمينة الحسن", group="civil_society")
    helene = make_user(name="Hélène Dubois", group="private_sector", country="FR")
    wang = make_user(name="王小明", group="international_organization", country="CN")
    caucus = create_body(
        "Caucus des femmes",
        "thematic_caucus",
        purpose="Porter la voix des femmes rurales. صوت النساء الريفيات. 农村妇女的声音",
    )
    db.session.commit()
    document = make_document(
        paragraphs=[
            "# Charter of participation",
            "Delegations take part on an *equal footing* in every session.",
            "The secretariat publishes the budget each quarter.",
        ],
        slug="charter",
        owner=caucus,
    )
    key = document.current_version.paragraphs[1].key
    for lang, text in (
        ("fr", "Les délégations participent sur un pied d'égalité à chaque séance."),
        ("ar", "تشارك الوفود على قدم المساواة في كل جلسة."),
        ("zh", "各代表团在每届会议上平等参与。"),
    ):
        add_language(document, lang, admin)
        save_translation(document, lang, key, text, admin)
    french = make_document(
        paragraphs=["# Déclaration", "L'équité numérique reste notre priorité commune."],
        slug="declaration",
        language="fr",
    )
    amendment = propose_amendment(
        document,
        helene,
        kind="modify",
        paragraph=document.current_version.paragraphs[2].key,
        text="The secretariat publishes the audited budget each month.",
        rationale="La transparence budgétaire exige une publication mensuelle. "
        "الشفافية المالية ضرورية. 预算透明度至关重要。",
    )
    comment = add_comment(
        amendment,
        amina,
        "نؤيد النشر الشهري للميزانية. Nous soutenons la publication mensuelle. 我们支持每月公布。",
    )
    topic = discussion.start_topic(
        wang,
        title="Interpretation services",
        text="Interprétation simultanée dans toutes les langues. الترجمة الفورية. 同声传译服务。",
        body=caucus,
    )
    reply = discussion.reply(helene, topic, text="Remote participation hubs in every region.")
    db.session.commit()
    return SimpleNamespace(
        admin=admin,
        amina=amina,
        helene=helene,
        wang=wang,
        caucus=caucus,
        document=document,
        french=french,
        key=key,
        amendment=amendment,
        comment=comment,
        topic=topic,
        first=topic.messages[0],
        reply=reply,
    )


def _search(client, **params):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _found(client, q, **params):
    return [(r["kind"], r["id"]) for r in _search(client, q=q, **params)["results"]]


PHRASES = [
    # (query, kind, what it finds)
    ("equal footing", "document", "paragraph"),
    ("pied d'égalité", "document", "fr"),
    ("قدم المساواة", "document", "ar"),
    ("平等参与", "document", "zh"),
    ("équité numérique", "document", "french"),
    ("audited budget", "amendment", "amendment"),
    ("transparence budgétaire", "amendment", "amendment"),
    ("الشفافية المالية", "amendment", "amendment"),
    ("预算透明", "amendment", "amendment"),
    ("publication mensuelle", "comment", "comment"),
    ("النشر الشهري", "comment", "comment"),
    ("每月公布", "comment", "comment"),
    ("remote participation hubs", "post", "reply"),
    ("interprétation simultanée", "post", "first"),
    ("الترجمة الفورية", "post", "first"),
    ("同声传译", "post", "first"),
    ("caucus des femmes", "body", "caucus"),
    ("femmes rurales", "body", "caucus"),
    ("النساء الريفيات", "body", "caucus"),
    ("农村妇女", "body", "caucus"),
    ("Hélène Dubois", "person", "helene"),
    ("أمينة", "person", "amina"),
    ("王小明", "person", "wang"),
]


def _target(corpus, what):
    if what in ("paragraph", "french"):
        document = corpus.document if what == "paragraph" else corpus.french
        return document.current_version.paragraphs[1].id
    if what in ("fr", "ar", "zh"):
        return (
            db.session.query(SearchEntry.target_id)
            .filter_by(kind="translation", language=what)
            .scalar()
        )
    return getattr(corpus, what).id


@pytest.mark.parametrize(("query", "kind", "what"), PHRASES)
def test_a_phrase_of_each_kind_is_found_in_each_language(client, corpus, query, kind, what):
    assert (kind, _target(corpus, what)) in _found(client, query)
    # The kind filter keeps it; another kind's filter does not.
    assert (kind, _target(corpus, what)) in _found(client, query, kind=kind)
    other = "person" if kind != "person" else "body"
    assert _found(client, query, kind=other) == []


def test_results_link_to_what_they_found(client, corpus):
    [paragraph] = _search(client, q="equal footing", kind="document")["results"]
    assert paragraph["url"] == f"/documents/charter#p-{corpus.key}"
    assert paragraph["document"] == {"slug": "charter", "title": "Charter of participation"}
    assert paragraph["language"] == "en" and paragraph["paragraph"] == corpus.key
    assert (
        paragraph["snippet"]
        == "Delegations take part on an <mark>equal</mark> <mark>footing</mark> in every session."
    )
    [french] = _search(client, q="pied d'egalite")["results"]  # without the accents too
    assert french["url"] == f"/documents/charter?lang=fr#p-{corpus.key}"
    assert french["language"] == "fr" and "<mark>égalité</mark>" in french["snippet"]
    [comment] = _search(client, q="النشر الشهري")["results"]
    assert comment["url"] == f"/amendments/{corpus.amendment.id}#c-{corpus.comment.id}"
    [post] = _search(client, q="remote hubs")["results"]
    assert post["url"] == f"/discussions/{corpus.topic.id}#m-{corpus.reply.id}"
    assert post["body"] == {"slug": "caucus-des-femmes", "name": "Caucus des femmes"}
    [person] = _search(client, q="王小明")["results"]
    assert (
        person["url"] == f"/people/{corpus.wang.id}" and person["snippet"] == "<mark>王小明</mark>"
    )
    for url in (paragraph["url"], comment["url"], post["url"], person["url"]):
        assert client.get(url.split("#")[0]).status_code == 200


def test_every_word_must_match(client, corpus):
    assert _found(client, "budget") != []
    assert _found(client, "budget nowhere-else-zz") == []
    assert _found(client, "'&|!:* \"; DROP TABLE search_entry; --") == []


def test_filters_by_document_body_and_group(client, corpus):
    budget = {"q": "budget"}
    assert {k for k, _ in _found(client, **budget)} == {"document", "amendment"}
    assert _found(client, **budget, document="declaration") == []
    assert ("amendment", corpus.amendment.id) in _found(client, **budget, document="charter")
    assert _found(client, **budget, group="private_sector") == [("amendment", corpus.amendment.id)]
    assert _found(client, **budget, group="government") == []
    # The body: its own entry, its archive's posts and the documents it owns.
    in_body = _found(client, q="interpretation", body="caucus-des-femmes")
    assert ("post", corpus.first.id) in in_body
    both = _found(client, q="mensuelle", kind="comment,amendment")
    assert sorted(both) == [("amendment", corpus.amendment.id), ("comment", corpus.comment.id)]
    assert _found(client, q="mensuelle", kind=["post", "body"]) == []


def test_hidden_content_is_not_found(client, corpus):
    for target in (
        f"post:{corpus.reply.id}",
        f"comment:{corpus.comment.id}",
        f"user:{corpus.wang.id}",
        f"amendment:{corpus.amendment.id}",
    ):
        report = file_report(
            corpus.amina if "comment" not in target else corpus.helene, target, "Abuse"
        )
        hide_report(report, corpus.admin, "Breaks the code of conduct")
    db.session.commit()
    assert _found(client, "remote participation hubs") == []
    assert _found(client, "publication mensuelle") == []
    assert _found(client, "王小明") == []
    # A hidden rationale is not found; the amendment's own text still is.
    assert _found(client, "transparence budgétaire") == []
    assert _found(client, "audited budget") == [("amendment", corpus.amendment.id)]
    html = client.get("/search?q=transparence").data.decode()
    assert "Nothing matches" in html and "<mark>" not in html


def test_the_index_follows_edits_and_new_versions(client, corpus):
    from app.documents.services import append_version
    from app.search.index import reindex_all

    discussion.edit_message(corpus.helene, corpus.reply, text="Regional hubs with captioning.")
    paragraphs = [p.text for p in corpus.document.current_version.paragraphs]
    paragraphs[1] = "Delegations take part as equals in every session."
    append_version(corpus.document, paragraphs, cause="import", message="Rev.2")
    db.session.commit()
    assert _found(client, "remote participation") == []
    assert _found(client, "captioning") == [("post", corpus.reply.id)]
    assert _found(client, "equal footing") == []
    [equals] = _found(client, "equals", kind="document")
    assert equals[1] == corpus.document.current_version.paragraphs[1].id
    before = sorted(db.session.query(SearchEntry.kind, SearchEntry.target_id).all())
    reindex_all()
    db.session.commit()
    assert sorted(db.session.query(SearchEntry.kind, SearchEntry.target_id).all()) == before


def test_a_deleted_topic_leaves_the_index(client, corpus):
    db.session.delete(corpus.topic)
    db.session.commit()
    assert _found(client, "interpretation") == []


def test_the_sample_draft_is_found_by_equal_footing(client, runner):
    result = runner.invoke(args=["drafts", "import", str(DRAFT)])
    assert result.exit_code == 0, result.output
    [hit] = _search(client, q="equal footing")["results"]
    assert hit["kind"] == "document" and hit["url"].startswith(
        f"/documents/{hit['document']['slug']}#p-"
    )
    assert "<mark>equal</mark> <mark>footing</mark>" in hit["snippet"]
    page = client.get("/search?q=equal+footing").data.decode()
    assert hit["url"].replace("#", "#") in page and "<mark>footing</mark>" in page


def test_reindex_command(runner, corpus):
    db.session.query(SearchEntry).delete()
    db.session.commit()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "entries indexed" in result.output
    assert db.session.query(SearchEntry).filter_by(kind="person").count() == 4


def test_reindex_if_empty_fills_an_upgraded_database_only(runner, corpus):
    filled = runner.invoke(args=["search", "reindex", "--if-empty"])
    assert "nothing to do" in filled.output
    db.session.query(SearchEntry).delete()
    db.session.commit()
    result = runner.invoke(args=["search", "reindex", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert db.session.query(SearchEntry).filter_by(kind="person").count() == 4


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x", "kind": "poem"}, "Unknown kind"),
        ({"q": "x", "page": "0"}, "page"),
        ({"q": "x", "page": "abc"}, "page"),
        ({"q": "x" * 201}, "at most 200"),
        ({"q": "a\x00b"}, "NUL"),
        ({"q": "x", "kind": "post\x00"}, "NUL"),
        ({"q": "x", "group": "aliens"}, "stakeholder group"),
        ({"q": "x", "order": "random"}, "order"),
    ],
)
def test_bad_parameters_answer_400(client, params, message):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]
    assert client.get("/search", query_string=params).status_code == 400


def test_unknown_document_or_body_is_404(client):
    assert client.get("/api/search?q=x&document=nope").status_code == 404
    assert client.get("/api/search?q=x&body=nope").status_code == 404


def test_pagination(client, make_user):
    for n in range(25):
        make_user(name=f"Delegate Zebra {n:02d}")
    first = _search(client, q="zebra")
    second = _search(client, q="zebra", page=2)
    assert (first["total"], first["page"], len(first["results"])) == (25, 1, 20)
    assert len(second["results"]) == 5
    ids = {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]}
    assert len(ids) == 25
    html = client.get("/search?q=zebra").data.decode()
    assert "Page 1 of 2" in html and 'rel="next"' in html


def test_search_page_escapes_stored_html(client, corpus):
    discussion.start_topic(
        corpus.amina,
        title="<b>Bold</b> subject",
        text="<script>alert(1)</script> accessibility for all <img src=x onerror=alert(2)>",
        body=corpus.caucus,
    )
    db.session.commit()
    [hit] = _search(client, q="accessibility")["results"]
    assert "<script>" not in hit["snippet"] and "<img" not in hit["snippet"]
    assert "<mark>accessibility</mark>" in hit["snippet"]
    html = client.get("/search?q=accessibility").data.decode()
    assert "<mark>accessibility</mark>" in html
    assert "<script>alert(1)" not in html and "<b>Bold</b>" not in html and "<img src=x" not in html


def test_header_has_a_search_box_and_discussions_land_on_recent_threads(client, corpus, make_body):
    other = create_body("Youth caucus", "thematic_caucus")
    later = discussion.start_topic(
        corpus.amina, title="Youth speakers", text="Two slots.", body=other
    )
    db.session.commit()
    home = client.get("/").data.decode()
    assert 'role="search"' in home and 'action="/search"' in home
    assert '<a href="/discussions"' in home
    page = client.get("/discussions").data.decode()
    assert page.index("Youth speakers") < page.index("Interpretation services")
    assert "Youth caucus" in page and "Caucus des femmes" in page
    assert later.id and "/discussions/search" not in home


def test_discussion_search_keeps_working(client, corpus):
    response = client.get("/discussions/search?q=interpretation&body=caucus-des-femmes")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).data.decode()
    assert "<mark>Interprétation</mark>" in page or "<mark>interpretation</mark>" in page.lower()
    assert f"#m-{corpus.first.id}" in page


def test_chinese_is_indexed_as_character_pairs():
    assert index_text("各代表团平等参与") == "各代 代表 表团 团平 平等 等参 参与"
    assert index_text("Égalité, 平等!") == "egalite 平等"
    [term] = search_terms("平等参与")
    assert term.tokens == ("平等", "等参", "参与")
    assert (
        str(highlight("各代表团平等参与。", search_terms("平等")))
        == "各代表团<mark>平等</mark>参与。"
    )


def test_arabic_diacritics_and_hamza_seats_fold():
    assert index_text("مُشَارَكَة") == index_text("مشاركة")
    assert index_text("أمينة") == index_text("امينة")
    assert str(highlight("مُشَارَكَة الوفود", search_terms("مشاركة"))) == "<mark>مُشَارَكَة</mark> الوفود"


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=st.text(max_size=300), query=st.text(max_size=40))
def test_highlight_never_lets_markup_through(app, source, query):
    rendered = str(highlight(source, search_terms(query)))
    stripped = rendered.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
    assert len(search_terms(query)) <= 12


def test_postgresql_also_finds_other_forms_of_a_word(client, corpus):
    """PostgreSQL adds the stems of the content's language to the 'simple' words."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("stemming is PostgreSQL's (SQLite matches whole words)")
    assert ("document", corpus.document.current_version.paragraphs[1].id) in _found(
        client, "delegation", kind="document"
    )
    assert ("document", _target(corpus, "fr")) in _found(client, "délégation", kind="document")
