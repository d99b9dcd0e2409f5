"""Robustness sweep over every route: bad input gets a clear error, never a 500 or a traceback.

The demo content is loaded once per module (per xdist worker) into a database of its own, then
every rule of `app.url_map` is exercised with valid and garbage path values, garbage query
strings and, for writes, garbage bodies sent as anonymous visitors, a participant and an
administrator. Failures of one rule are collected and reported together.
"""

import io
import json
import logging
from urllib.parse import quote

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from tests.support.routes import QUERY_PARAMS, RULES, make_world, path_variants

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PASSWORD = "agora-demo-2026"

# Routes that anonymous visitors may legitimately write to.
ANONYMOUS_WRITES_ALLOWED = {"accounts.login", "accounts.register", "accounts.logout"}
# Mail links work without a session: password reset and RFC 8058 one-click unsubscribe.
ANONYMOUS_WRITES_ALLOWED |= {
    "mail.forgot_password",
    "mail.reset_password",
    "mail.one_click_unsubscribe",
}
# POST routes that change nothing (the live editor's Markdown preview): anyone may call them.
READ_ONLY_POSTS = {"coedit.preview"}


QUERY_VALUES = [
    "",
    "<script>alert(1)</script>",
    "-1",
    "0",
    "99999999999999999999",
    "abc",
    "1e9",
    "\u0628\u062d\u062b\u00e9",
    "x" * 3000,
    "..%2f",
    "[]",
    "null",
    "%00",
    "\x00",
    "\u00b2",
]
# Tried one parameter at a time (the others absent), for parameters the view's module reads.
SINGLE_QUERY_VALUES = ["99999999999999999999", "-99999999999999999999", "\u00b2", "abc", "x" * 3000]

FORM_FIELDS = (
    "after",
    "back",
    "body",
    "by",
    "confirm",
    "country",
    "current",
    "description",
    "document",
    "email",
    "file",
    "from",
    "group",
    "kind",
    "lang",
    "language",
    "limit",
    "markdown",
    "max_per_group",
    "message",
    "min_north",
    "min_south",
    "mode",
    "name",
    "next",
    "nomination",
    "nomination_ends_at",
    "note",
    "on_behalf_of",
    "order",
    "organization",
    "owner",
    "page",
    "paragraph",
    "parent_id",
    "password",
    "period",
    "q",
    "rationale",
    "rev",
    "role",
    "seats",
    "show",
    "stance",
    "status",
    "text",
    "title",
    "to",
    "token_name",
    "user_id",
    "version",
    "voting_ends_at",
    "voting_starts_at",
    "who",
    "base_rev",
    "edits",
    "peers",
    "doc",
    "key",
)
FORM_VALUES = [
    "",
    "<script>alert(1)</script>",
    "-1",
    "99999999999999999999",
    "not a number",
    "\u00b2",
    "nul\x00byte",
    "\u0628\u062d\u062b \u00e9t\u00e9 \u6f22\u5b57",
    "2026-13-45T99:99",
]
# Oversized values, above every text limit (50,000 characters for messages), in the text fields.
OVERSIZED = "x" * 60_000
LONG_FIELDS = (
    "text",
    "rationale",
    "message",
    "title",
    "markdown",
    "name",
    "description",
    "note",
    "organization",
    "email",
    "password",
    "token_name",
)
JSON_FIELDS = (
    "kind",
    "paragraph",
    "after",
    "text",
    "rationale",
    "on_behalf_of",
    "stance",
    "title",
    "markdown",
    "language",
    "owner",
    "status",
    "lang",
    "message",
    "version",
    "rev",
    "name",
)
JSON_WRONG_VALUES = [
    ["a", 1],
    {"nested": {"deeper": [1, {"x": None}]}},
    12345,
    -1,
    1.5,
    None,
    True,
    "",
    99999999999999999999,
]


def _bodies():
    """(label, kwargs for client.open) of garbage request bodies."""
    bodies = [("empty", {})]
    for value in FORM_VALUES:
        data = {field: value for field in FORM_FIELDS}
        bodies.append((f"form={value[:20]!r}", {"data": data}))
    bodies.append(("form-oversized", {"data": {field: OVERSIZED for field in LONG_FIELDS}}))
    bodies.append(("json-oversized", {"json": {field: OVERSIZED for field in LONG_FIELDS}}))
    bodies.append(
        (
            "form-file",
            {
                "data": lambda: {
                    "file": (io.BytesIO(b"\xff\xfe<not xml"), "garbage.xlf"),
                    "version": "2",
                    "lang": "fr",
                },
                "content_type": "multipart/form-data",
            },
        )
    )
    bodies.append(("form-repeated", {"data": MultiDict([(f, "a") for f in FORM_FIELDS] * 2)}))
    for payload in ([], ["a", "b"], "a string", 42, None, {"a": {"b": {"c": {"d": []}}}}):
        bodies.append((f"json={json.dumps(payload)[:20]}", {"json": payload}))
    for value in JSON_WRONG_VALUES:
        bodies.append(
            (
                f"json-fields={json.dumps(value)[:20]}",
                {"json": {field: value for field in JSON_FIELDS}},
            )
        )
    bodies.append(
        ("json-malformed", {"data": b'{"text": "unterminated', "content_type": "application/json"})
    )
    bodies.append(
        ("json-not-utf8", {"data": b'{"text": "\xff\xfe"}', "content_type": "application/json"})
    )
    return bodies


BODIES = _bodies()
ANONYMOUS_BODIES = [
    ("empty", {}),
    ("form", {"data": {field: "1" for field in FORM_FIELDS}}),
    ("json", {"json": {field: "1" for field in JSON_FIELDS}}),
]


class _LogCatcher(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def world(tmp_path_factory, _postgres_schema):
    """The demo content in a database of this module's own; yields (app, values, actors)."""
    app, values, actors = make_world(tmp_path_factory, _postgres_schema, "robustness")
    catcher = _LogCatcher()
    app.logger.addHandler(catcher)
    app.robustness_log = catcher
    yield app, values, actors
    app.logger.removeHandler(catcher)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _row_counts():
    counts = {}
    for table in db.metadata.sorted_tables:
        counts[table.name] = db.session.scalar(select(func.count()).select_from(table))
    db.session.remove()
    return counts


def _current_session_id(user_id: str) -> str:
    """The actor's session id as of now: a sweep that changed their password or e-mail has ended
    their earlier sessions (the id carries the session epoch)."""
    from app.accounts.models import User

    user = db.session.get(User, int(user_id.split(":")[0]))
    db.session.refresh(user)
    return user.get_id()


class _Sweep:
    def __init__(self, app, actors):
        self.app = app
        self.client = app.test_client()
        self.actors = actors
        self.failures = []
        self.requests = 0

    def send(self, method, url, actor="anonymous", label="", **kwargs):
        who = self.actors[actor]
        with self.client.session_transaction() as session:
            session.clear()
            if who["user_id"]:
                with self.app.app_context():
                    session["_user_id"] = _current_session_id(who["user_id"])
                session["_fresh"] = True
        headers = {}
        if url.startswith("/api/") and who["token"]:
            headers["Authorization"] = f"Bearer {who['token']}"
        log = self.app.robustness_log
        logged = len(log.records)
        if callable(kwargs.get("data")):  # a fresh file object per request
            kwargs = {**kwargs, "data": kwargs["data"]()}
        response = self.client.open(url, method=method, headers=headers, **kwargs)
        self.requests += 1
        self.check(method, url, actor, label, response, log.records[logged:])
        return response

    def fail(self, method, url, actor, label, problem):
        self.failures.append(f"{method} {url[:120]} [{actor}; {label}]: {problem}")

    def check(self, method, url, actor, label, response, records):
        status = response.status_code
        if status >= 500:
            detail = ""
            for record in records:
                if record.exc_info:
                    detail = f" ({record.exc_info[0].__name__}: {str(record.exc_info[1])[:200]})"
            self.fail(method, url, actor, label, f"status {status}{detail}")
        body = response.get_data()
        if b"Traceback (most recent call last)" in body or b'File "/' in body:
            self.fail(method, url, actor, label, "traceback text in the response")
        if url.startswith("/api/") and status >= 400:
            data = response.get_json(silent=True)
            error = data.get("error") if isinstance(data, dict) else None
            if not (
                isinstance(error, dict)
                and isinstance(error.get("code"), str)
                and isinstance(error.get("message"), str)
                and error["message"]
            ):
                self.fail(
                    method,
                    url,
                    actor,
                    label,
                    f"API error {status} without {{error: {{code, message}}}}: {body[:120]!r}",
                )


def _rule_id(rule):
    return f"{rule[1]}:{rule[0]}"


@pytest.mark.parametrize("rule", RULES, ids=_rule_id)
def test_route_survives_garbage(world, rule):
    app, values, actors = world
    path, endpoint, methods, read_params, converters = rule
    sweep = _Sweep(app, actors)
    variants = path_variants(path, endpoint, converters, values)
    valid_url = variants[0][1]

    if "GET" in methods:
        for label, url in variants:
            for actor in ("anonymous", "participant"):
                sweep.send("GET", url, actor, label)
        for value in QUERY_VALUES:
            query = "&".join(f"{p}={quote(value)}" for p in QUERY_PARAMS)
            sweep.send("GET", f"{valid_url}?{query}", "participant", f"query={value[:20]!r}")
        sweep.send("GET", f"{valid_url}?lang=fr&lang=ar&from=1&from=2", "anonymous", "repeated")
        for param in read_params:
            for value in SINGLE_QUERY_VALUES:
                sweep.send(
                    "GET",
                    f"{valid_url}?{param}={quote(value)}",
                    "participant",
                    f"{param}={value[:20]!r}",
                )

    for method in sorted(set(methods) & WRITE_METHODS):
        with app.app_context():
            before = _row_counts()
        for label, kwargs in ANONYMOUS_BODIES:
            response = sweep.send(method, valid_url, "anonymous", label, **kwargs)
            if endpoint in ANONYMOUS_WRITES_ALLOWED | READ_ONLY_POSTS:
                continue
            if 200 <= response.status_code < 300:
                sweep.fail(
                    method,
                    valid_url,
                    "anonymous",
                    label,
                    f"anonymous write answered {response.status_code}",
                )
            elif 300 <= response.status_code < 400 and "/login" not in response.location:
                sweep.fail(
                    method,
                    valid_url,
                    "anonymous",
                    label,
                    f"anonymous write redirected to {response.location}, not to login",
                )
        if endpoint not in ANONYMOUS_WRITES_ALLOWED:
            with app.app_context():
                after = _row_counts()
            changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            if changed:
                sweep.fail(method, valid_url, "anonymous", "row counts", f"rows changed: {changed}")
        for actor in ("participant", "admin"):
            for label, kwargs in BODIES:
                sweep.send(method, valid_url, actor, label, **kwargs)
        for label, url in variants[1:]:
            sweep.send(method, url, "participant", label, data={"text": "hello"})

    assert not sweep.failures, f"{len(sweep.failures)} of {sweep.requests} requests failed:\n" + (
        "\n".join(sweep.failures[:40])
    )


PARTICIPANT_REFUSED = {
    "audit.admin_log",
    "mail.admin_mail",
    "mail.admin_mail_file",
    "api.api_audit",
    "accounts.group_requests",
    "bodies.new_selection",
    "discussion.edit",
    "accounts.login",
    "accounts.register",
}


def test_valid_values_reach_real_pages(world):
    """The sweep's valid values name real objects: every page answers as it would for a visitor."""
    app, values, actors = world
    sweep = _Sweep(app, actors)
    statuses = {}
    for path, endpoint, methods, _read, converters in RULES:
        if "GET" in methods and endpoint != "api.unknown":
            url = path_variants(path, endpoint, converters, values)[0][1]
            statuses[endpoint] = sweep.send("GET", url, "participant", "valid").status_code
    assert not sweep.failures
    # The participant is no coordinator and no author of the first message, and a new amendment
    # needs a paragraph (403, 404); other sweeps share the world, so no exact map is asserted.
    for endpoint, status in statuses.items():
        assert status in {200, 302, 403, 404}, endpoint
    # Pages that rightly refuse a participant (administrators', focal points', coordinators' and
    # authors' pages) or send a signed-in person on (login, registration) are not counted.
    counted = [s for e, s in statuses.items() if e not in PARTICIPANT_REFUSED]
    assert sum(status == 200 for status in counted) >= 0.85 * len(counted)


# GETs that write on purpose, with the reason. Anything else that writes on a GET is a bug: a GET
# may be repeated, prefetched by a browser or a mail scanner, and crawled by robots.
GET_WRITES_ALLOWED = {
    # The link in the verification mail: tests and the mail contract have a GET confirm the
    # address. It only sets a timestamp once, and all it proves (the mailbox gets the mail) is
    # what a mail scanner opening the link proves too.
    "mail.verify": "a verification link confirms the address",
    # Opening a notification from one's own list marks it read: that is the act it records, it
    # needs the person's session (no scanner can follow it), and doing it again changes nothing.
    "notifications.open_notification": "opening a notification marks it read",
}
# Statements allowed on any GET: an API token records when it was last used (at most once a
# while), so that its owner can see and revoke tokens that leak or lie unused.
GET_STATEMENTS_ALLOWED = ("UPDATE api_token SET last_used_at",)


def _count_writes(engine, writes: list):
    from sqlalchemy import event

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if verb in {"INSERT", "UPDATE", "DELETE", "REPLACE"} and not statement.lstrip().startswith(
            GET_STATEMENTS_ALLOWED
        ):
            writes.append(statement.split("\n", 1)[0][:100])

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    return lambda: event.remove(engine, "before_cursor_execute", before_cursor_execute)


def test_get_requests_write_nothing(world):
    """Every page and API read, for a visitor, a participant and an administrator, only reads."""
    app, values, actors = world
    sweep = _Sweep(app, actors)
    writes: list[str] = []
    with app.app_context():
        engine = db.engine
    stop = _count_writes(engine, writes)
    wrote = {}
    try:
        for path, endpoint, methods, _read, converters in RULES:
            if "GET" not in methods or endpoint in GET_WRITES_ALLOWED:
                continue
            url = path_variants(path, endpoint, converters, values)[0][1]
            for actor in ("anonymous", "participant", "admin"):
                del writes[:]
                sweep.send("GET", url, actor, "valid")
                if writes:
                    wrote[f"GET {url} [{actor}]"] = sorted(set(writes))
    finally:
        stop()
    assert "coedit.live" in {rule[1] for rule in RULES}
    assert not wrote, "GET requests that wrote to the database:\n" + "\n".join(
        f"{request}: {statements}" for request, statements in wrote.items()
    )
