"""Every route of the app with real demo values for its path: shared by the route sweeps.

The robustness sweep and the interface-language checks walk the same map of routes, with
path values naming real objects of the demo content (or garbage, for the sweep).
"""

import inspect
from urllib.parse import quote

from sqlalchemy import select

from app import create_app
from app.config import TestConfig
from app.extensions import db
from tests.support.database import empty_database

QUERY_PARAMS = (
    "lang",
    "from",
    "to",
    "page",
    "q",
    "by",
    "status",
    "group",
    "mode",
    "version",
    "after",
    "limit",
    "key",
    "show",
    "order",
    "who",
    "back",
    "next",
    "period",
    "kind",
    "rev",
    "text",
)


def collect_rules():
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        module = inspect.getmodule(app.view_functions[rule.endpoint])
        source = inspect.getsource(module) if module else ""
        read = tuple(p for p in QUERY_PARAMS if f'"{p}"' in source)
        rules.append(
            (
                rule.rule,
                rule.endpoint,
                tuple(methods),
                read,
                {name: type(conv).__name__ for name, conv in rule._converters.items()},
            )
        )
    return sorted(rules)


RULES = collect_rules()

GARBAGE_STRINGS = [
    "no-such-thing-at-all",
    "\u00e9t\u00e9-\u0628\u062d\u062b-\u6f22\u5b57",
    "x" * 3000,
    "..%2f..%2fetc%2fpasswd",
    "<script>alert(1)</script>",
    "-1",
    "99999999",
    " ",
]
GARBAGE_INTS = ["99999999", "0", "-1", "99999999999999999999", "abc", "1.5", "\u0661\u0662"]


def valid_values():
    from app.accounts.models import GroupChangeRequest, User
    from app.accounts.services import create_api_token
    from app.amendments.models import Amendment
    from app.bodies.models import Body, Nomination, Selection
    from app.discussion.models import Message, Topic
    from app.documents.models import Document, Version, VersionParagraph
    from app.mail.account import verification_token
    from app.mail.addresses import unsubscribe_token
    from app.moderation.models import Report
    from app.translations.models import DocumentLanguage

    document = db.session.scalar(select(Document).where(Document.slug == "best-practice"))
    assert document is not None, "the demo must import best-practice"
    version = db.session.scalar(
        select(Version).where(Version.document_id == document.id).order_by(Version.number.desc())
    )
    key = db.session.scalar(
        select(VersionParagraph.key).where(VersionParagraph.version_id == version.id).limit(1)
    )
    lang = db.session.scalar(
        select(DocumentLanguage.lang).where(DocumentLanguage.document_id == document.id).limit(1)
    )
    participant = db.session.scalar(select(User).where(User.email == "mei@example.org"))
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    spare_token, _ = create_api_token(participant, "spare")
    _, participant_token = create_api_token(participant, "robustness")
    _, admin_token = create_api_token(admin, "robustness")
    db.session.commit()
    selection = db.session.scalar(select(Selection.id).limit(1))
    nomination = db.session.scalar(select(Nomination).limit(1))

    def first(model):
        return db.session.scalar(select(model.id).order_by(model.id).limit(1)) or 1

    values = {
        "slug": document.slug,
        "body_slug": db.session.scalar(select(Body.slug).where(Body.slug == "drafting-team")),
        "number": "1",  # an older version: the current one redirects to the document's page
        "key": key,
        "lang": lang or "fr",
        "amendment_id": str(first(Amendment)),
        "topic_id": str(first(Topic)),
        "message_id": str(first(Message)),
        "user_id": str(participant.id),
        "token_id": str(spare_token.id),
        "selection_id": str(selection or 1),
        "nomination_id": str(nomination.id if nomination else 1),
        "report_id": str(first(Report)),
        "request_id": str(first(GroupChangeRequest)),
        "_unknown": "no/such/endpoint",
        "follow_id": "1",
        "notification_id": "1",
        "token": unsubscribe_token(participant.id, "list:1"),
        "verify_token": verification_token(participant),
        # Not a valid one: the sweep would reset the participant's password and end the session.
        "reset_token": "not-a-signed-token",
        "name": "no-such-mail.eml",
    }
    actors = {
        "anonymous": {"user_id": None, "token": None},
        "participant": {"user_id": participant.get_id(), "token": participant_token},
        "admin": {"user_id": admin.get_id(), "token": admin_token},
    }
    return values, actors


def fill(rule: str, converters: dict, values: dict) -> str:
    url = rule
    for name, converter in converters.items():
        pattern = next(p for p in (f"<{name}>", f"<int:{name}>", f"<path:{name}>") if p in rule)
        value = values[name]
        url = url.replace(pattern, quote(str(value), safe="/%"))
    return url


def path_variants(rule, endpoint, converters, values):
    """(label, url) pairs: the valid one first, then garbage for each variable in turn."""
    valid = dict(values)
    if rule.startswith("/bodies/") or rule.startswith("/api/bodies/"):
        valid["slug"] = values["body_slug"]
    variants = [("valid", fill(rule, converters, valid))]
    for name, converter in converters.items():
        garbage = GARBAGE_INTS if converter == "IntegerConverter" else GARBAGE_STRINGS
        for value in garbage:
            variants.append(
                (f"{name}={value[:20]!r}", fill(rule, converters, {**valid, name: value}))
            )
    return variants


def make_world(tmp_path_factory, postgres_schema, name, overrides=None):
    """An app on its own database (or the run's PostgreSQL schema, emptied) with the demo content;
    returns (app, values, actors)."""
    uri = postgres_schema or f"sqlite:///{tmp_path_factory.mktemp(name) / 'w.db'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": uri, **(overrides or {})})
    with app.app_context():
        empty_database(bool(postgres_schema))
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exception is None, result.output
        values, actors = valid_values()
        db.session.remove()
    return app, values, actors
