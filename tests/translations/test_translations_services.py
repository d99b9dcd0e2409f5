"""Languages, saving, outdated detection, reviews and progress, through the services."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import Conflict, Forbidden, NotFound, ValidationError
from app.extensions import db
from app.translations import languages, services
from app.translations.queries import aligned_paragraphs, language_progress


def states(doc, lang="fr"):
    return [row.state for row in aligned_paragraphs(doc, lang)]


@pytest.mark.parametrize(
    "raw, tag",
    [
        ("fr", "fr"),
        ("zh-hans", "zh-Hans"),
        ("iw", "he"),
        ("pt_BR", "pt-BR"),
        (" AR ", "ar"),
        ("sr-latn", "sr-Latn"),
    ],
)
def test_language_codes_are_normalised(raw, tag):
    assert languages.normalize_tag(raw) == tag


@pytest.mark.parametrize("raw", ["", "zz", "xx-yy", "french", "fr--", "a" * 50, "en-<script>"])
def test_unknown_language_codes_are_refused(raw):
    with pytest.raises(ValidationError):
        languages.normalize_tag(raw)


def test_names_and_direction_come_from_babel():
    arabic = languages.language("ar")
    assert (arabic.name, arabic.native_name, arabic.dir) == ("Arabic", "العربية", "rtl")
    assert languages.language("he").dir == "rtl"
    assert languages.language("fr").dir == "ltr"
    assert languages.language("tlh").name == "Klingon"  # babel has a name but no locale
    assert [lang.tag for lang in languages.default_languages("en")] == [
        "ar",
        "zh",
        "fr",
        "ru",
        "es",
    ]


def test_add_language_needs_translation_team(doc, team):
    with pytest.raises(Forbidden):
        services.add_language(doc, "fr", team["outsider"])
    services.add_language(doc, "fr", team["admin"])
    with pytest.raises(Conflict):
        services.add_language(doc, "FR", team["karim"])
    with pytest.raises(ValidationError, match="source language"):
        services.add_language(doc, "en", team["karim"])
    with pytest.raises(ValidationError):
        services.add_language(doc, "zz", team["karim"])


def test_new_language_is_all_missing(doc, french):
    assert states(doc) == ["missing"] * 5


def test_save_records_source_text_and_history(doc, team, french, keys):
    translation, changed = services.save_translation(
        doc, "fr", keys[1], "Tous les groupes.", team["sophie"]
    )
    assert changed and translation.version == 1
    assert translation.source_text == "All stakeholder groups take part in drafting as equals."
    again, changed = services.save_translation(
        doc, "fr", keys[1], "Tous les groupes.", team["sophie"]
    )
    assert not changed and again.version == 1
    services.save_translation(
        doc, "fr", keys[1], "Tous les groupes, à égalité.", team["karim"], expected_version=1
    )
    db.session.commit()
    assert [(r.version, r.text) for r in translation.revisions] == [
        (1, "Tous les groupes."),
        (2, "Tous les groupes, à égalité."),
    ]
    assert translation.translator_id == team["karim"].id


def test_outdated_after_accepted_amendment(doc, team, french, keys, accept):
    services.save_translation(doc, "fr", keys[1], "Tous les groupes.", team["sophie"])
    services.save_translation(doc, "fr", keys[2], "Chaque version est publique.", team["sophie"])
    db.session.commit()
    assert states(doc)[1:3] == ["translated", "translated"]
    version = accept(keys[1], "All stakeholder groups take part in drafting as full equals.")
    assert version.cause == "amendment"
    db.session.expire_all()
    assert states(doc)[1:3] == ["outdated", "translated"]


def test_outdated_after_new_version_by_import(doc, team, french, keys, runner, tmp_path):
    services.save_translation(doc, "fr", keys[4], "Les traducteurs suivent.", team["sophie"])
    services.save_translation(doc, "fr", keys[1], "Tous les groupes.", team["sophie"])
    services.review_translation(doc, "fr", keys[4], team["karim"])
    db.session.commit()
    assert states(doc)[4] == "reviewed"
    # The charter's next draft, imported by `flask drafts import` as the directory "charter".
    texts = [p.text for p in doc.current_version.paragraphs]
    texts[4] = "Translators keep every language in step with the changing source."
    drafts = tmp_path / "charter"
    drafts.mkdir()
    (drafts / "02-revised.md").write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    result = runner.invoke(args=["drafts", "import", str(drafts)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert doc.current_version.number == 2 and doc.current_version.cause == "import"
    assert states(doc)[4] == "outdated"
    assert states(doc)[1] == "translated"  # an unchanged source paragraph stays translated
    # Saving the same text again confirms it against today's source, and the review is gone.
    services.save_translation(doc, "fr", keys[4], "Les traducteurs suivent.", team["sophie"])
    assert states(doc)[4] == "translated"


def test_outdated_after_a_published_live_draft(doc, team, french, keys):
    from diff_match_patch import diff_match_patch

    from app.coedit.services import (
        get_or_create_live_text,
        publish_live_text,
        store_live_text_change,
    )

    services.save_translation(doc, "fr", keys[2], "Chaque version est publique.", team["sophie"])
    services.save_translation(doc, "fr", keys[3], "- Poids égal par groupe.", team["sophie"])
    db.session.commit()
    live = get_or_create_live_text(doc, None)
    old = live.text
    new = old.replace("public and kept forever", "public, dated and kept forever")
    assert new != old
    dmp = diff_match_patch()
    assert store_live_text_change(
        live.id,
        live.rev,
        new,
        user_id=team["admin"].id,
        delta=dmp.diff_toDelta(dmp.diff_main(old, new)),
    )
    version = publish_live_text(doc, None, team["admin"], "Dated versions")
    db.session.commit()
    assert version.cause == "publish"
    db.session.expire_all()
    assert states(doc)[2:4] == ["outdated", "translated"]


def test_optimistic_save_conflict_carries_both_texts(doc, team, french, keys):
    services.save_translation(
        doc, "fr", keys[1], "Version de Sophie.", team["sophie"], expected_version=0
    )
    services.save_translation(
        doc, "fr", keys[1], "Version de Karim.", team["karim"], expected_version=1
    )
    with pytest.raises(Conflict) as error:
        services.save_translation(
            doc, "fr", keys[1], "Nouvelle de Sophie.", team["sophie"], expected_version=1
        )
    assert error.value.details["current"]["text"] == "Version de Karim."
    assert error.value.details["current"]["version"] == 2
    assert error.value.details["yours"]["text"] == "Nouvelle de Sophie."
    with pytest.raises(Conflict):  # a "new" translation where one exists already
        services.save_translation(doc, "fr", keys[1], "Encore.", team["sophie"], expected_version=0)


def test_bad_saves_are_refused(doc, team, french, keys):
    with pytest.raises(NotFound, match="no paragraph"):
        services.save_translation(doc, "fr", "nosuchkey", "Texte.", team["sophie"])
    with pytest.raises(NotFound, match="no Spanish"):
        services.save_translation(doc, "es", keys[1], "Texto.", team["sophie"])
    with pytest.raises(ValidationError):
        services.save_translation(doc, "fr", keys[1], "   \n ", team["sophie"])
    with pytest.raises(ValidationError):
        services.save_translation(doc, "fr", keys[1], "x", team["sophie"], expected_version="two")
    with pytest.raises(Forbidden):
        services.save_translation(doc, "fr", keys[1], "Texte.", team["outsider"])


def test_review_rules(doc, team, french, keys, amend):
    services.save_translation(doc, "fr", keys[1], "Tous les groupes.", team["sophie"])
    with pytest.raises(Forbidden, match="your own"):
        services.review_translation(doc, "fr", keys[1], team["sophie"])
    with pytest.raises(Forbidden):
        services.review_translation(doc, "fr", keys[1], team["outsider"])
    with pytest.raises(ValidationError, match="no translation"):
        services.review_translation(doc, "fr", keys[2], team["karim"])
    amend(keys[1], "Every group takes part.")
    with pytest.raises(ValidationError, match="source changed"):
        services.review_translation(doc, "fr", keys[1], team["karim"])


def test_progress_counts_exactly(doc, team, french, keys, amend):
    sophie, karim = team["sophie"], team["karim"]
    services.save_translation(doc, "fr", keys[0], "# Charte", sophie)
    services.save_translation(doc, "fr", keys[1], "Tous les groupes.", sophie)
    services.save_translation(doc, "fr", keys[2], "Chaque version.", karim)
    services.review_translation(doc, "fr", keys[0], karim)
    db.session.commit()
    amend(keys[2], "Every version of the text is public, forever.")
    progress = language_progress(doc, "fr")
    assert progress.total == 5
    assert progress.counts == {"reviewed": 1, "translated": 1, "outdated": 1, "missing": 2}
    assert [progress.percent(s) for s in ("reviewed", "translated", "outdated", "missing")] == [
        20.0,
        20.0,
        20.0,
        40.0,
    ]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(["skip", "save", "review", "change"]), min_size=5, max_size=5))
def test_progress_always_adds_up_and_matches_rows(doc, team, french, keys, amend, actions):
    from app.translations.models import Translation

    db.session.query(Translation).delete()
    db.session.commit()
    for key, action in zip(keys, actions, strict=True):
        if action != "skip":
            services.save_translation(doc, "fr", key, f"Traduction {key}", team["sophie"])
        if action == "review":
            services.review_translation(doc, "fr", key, team["karim"])
    db.session.commit()
    for key, action in zip(keys, actions, strict=True):
        if action == "change":
            amend(key, f"Changed source {key} {len(doc.versions)}")
    progress = language_progress(doc, "fr")
    rows = states(doc)
    assert progress.total == len(rows) == 5
    assert sum(progress.counts.values()) == 5
    for state in ("reviewed", "translated", "outdated", "missing"):
        assert progress.counts[state] == rows.count(state)
    assert progress.counts["missing"] == actions.count("skip")
    assert progress.counts["outdated"] == actions.count("change")
