"""Fixtures of the translation tests: translators, an outsider and a document to translate."""

import pytest

from app.extensions import db

PARAGRAPHS = [
    "# Participation charter",
    "All stakeholder groups take part in drafting as equals.",
    "Every version of the text is public and kept forever.",
    "- Amendments are weighed with equal weight per group.",
    "Translators keep every language in step with the source.",
]


@pytest.fixture
def team(make_user, make_body):
    """Two translation team members, a member of another team, and an administrator."""
    sophie = make_user(
        group="government", email="sophie@example.org", name="Sophie Martin", country="FR"
    )
    karim = make_user(
        group="civil_society", email="karim@example.org", name="Karim Haddad", country="EG"
    )
    outsider = make_user(
        group="private_sector", email="mei@example.org", name="Mei Tan", country="SG"
    )
    admin = make_user(
        group="international_organization", email="ada@example.org", name="Ada", admin=True
    )
    make_body("Translation team", team_role="translation", members=[sophie, karim])
    make_body("Drafting team", team_role="drafting", members=[outsider])
    return {"sophie": sophie, "karim": karim, "outsider": outsider, "admin": admin}


@pytest.fixture
def doc(make_document):
    return make_document(paragraphs=PARAGRAPHS, slug="charter")


@pytest.fixture
def keys(doc):
    return [p.key for p in doc.current_version.paragraphs]


@pytest.fixture
def french(doc, team):
    """The charter with a French version added by Sophie."""
    from app.translations.services import add_language

    add_language(doc, "fr", team["sophie"])
    db.session.commit()
    return "fr"


@pytest.fixture
def amend(doc):
    """amend(key, text, cause="amendment"): a new version changing one paragraph's text."""
    from app.documents.services import append_version

    def do(key, text, cause="amendment"):
        paragraphs = doc.current_version.paragraphs
        texts = [text if p.key == key else p.text for p in paragraphs]
        version = append_version(
            doc, texts, cause=cause, message="Changed", keys=[p.key for p in paragraphs]
        )
        db.session.commit()
        return version

    return do


@pytest.fixture
def client(app):
    """A test client whose requests never see the user Flask-Login cached in `g` by an earlier one.

    The shared `app` fixture keeps an app context pushed for the whole test, and requests reuse
    it, so `g._login_user` (and `g.api_user`) would otherwise survive from one request (and login) to the next.
    """
    from flask import g
    from flask.testing import FlaskClient

    class FreshUserClient(FlaskClient):
        def open(self, *args, **kwargs):
            g.pop("_login_user", None)
            g.pop("api_user", None)
            return super().open(*args, **kwargs)

    app.test_client_class = FreshUserClient
    return app.test_client()


@pytest.fixture
def accept(doc, team):
    """accept(key, text): propose a modification through the amendments services and accept it.

    Mei (a participant) proposes, the administrator accepts: the real path by which an accepted
    amendment becomes a new version (and the version_created signal fires).
    """
    from app.amendments.services import accept_amendment, propose_amendment

    def do(key, text):
        db.session.refresh(doc)
        amendment = propose_amendment(
            doc,
            team["outsider"],
            kind="modify",
            paragraph=key,
            text=text,
            rationale="Clearer wording.",
        )
        db.session.commit()
        result = accept_amendment(amendment, team["admin"], "As agreed in the drafting group.")
        db.session.commit()
        assert result.conflict is None and result.version is not None
        return result.version

    return do
