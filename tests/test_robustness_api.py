"""The JSON API answers every error as {"error": {"code", "message"}} with a fitting status.

Checked for every write endpoint of `app.url_map` under /api: a method it does not allow (405),
an unknown path (404), a malformed JSON body (400), a body over MAX_CONTENT_LENGTH (413), and
writes without a token (401).
"""

import inspect

import pytest

from app import create_app
from app.config import TestConfig

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _api_write_rules():
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.endpoint != "api.unknown":
            source = inspect.getsource(app.view_functions[rule.endpoint])
            reads_json = "json_body(" in source or "get_json(" in source
            for method in sorted(set(rule.methods) & set(WRITE_METHODS)):
                rules.append((method, rule.rule, reads_json))
    return sorted(rules)


API_WRITES = _api_write_rules()


@pytest.fixture
def world(app, make_user, make_body, make_document, make_token):
    """A document owned by a team whose coordinator holds a token; an amendment to it."""
    from app.amendments.services import propose_amendment
    from app.documents.queries import version_paragraphs
    from app.extensions import db
    from app.moderation.services import file_report
    from app.translations.services import add_language

    # An administrator who coordinates the owner and proposed the amendment: no write is refused
    # for want of a right, so each error below comes from the request itself.
    coordinator = make_user(group="government", admin=True)
    owner = make_body("Drafting team", coordinators=[coordinator])
    document = make_document(owner=owner, slug="charter")
    key = version_paragraphs(document.current_version)[1].key
    amendment = propose_amendment(
        document, coordinator, kind="modify", paragraph=key, text="New text.", rationale="Clearer."
    )
    add_language(document, "fr", coordinator)
    report = file_report(coordinator, f"amendment:{amendment.id}", "A report to resolve.")
    db.session.commit()
    return {
        "values": {
            "slug": "charter",
            "lang": "fr",
            "key": key,
            "amendment_id": amendment.id,
            "number": 1,
            "report_id": report.id,
            "follow_id": 1,  # proposing followed the amendment
        },
        "token": make_token(coordinator),
    }


def _fill(rule, values):
    url = rule
    for name, value in values.items():
        for pattern in (f"<{name}>", f"<int:{name}>"):
            url = url.replace(pattern, str(value))
    assert "<" not in url, url
    return url


def _assert_error_shape(response, status, code=None):
    assert response.status_code == status, (response.status_code, response.get_data()[:300])
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str)
    assert error["message"]
    if code:
        assert error["code"] == code


def test_every_api_write_is_covered():
    """The sweep below sees the API's write routes (a sanity check of the collection)."""
    paths = {path for _method, path, _reads in API_WRITES}
    assert "/api/documents/<slug>/amendments" in paths
    assert "/api/amendments/<int:amendment_id>/position" in paths
    assert len(API_WRITES) >= 12


@pytest.mark.parametrize(("method", "rule", "reads_json"), API_WRITES)
def test_api_write_errors_are_json(client, world, method, rule, reads_json):
    url = _fill(rule, world["values"])
    auth = {"Authorization": f"Bearer {world['token']}"}

    # No token: 401 unauthenticated, whatever the body.
    _assert_error_shape(client.open(url, method=method, json={}), 401, "unauthenticated")
    # A wrong token is no token.
    _assert_error_shape(
        client.open(url, method=method, json={}, headers={"Authorization": "Bearer nope"}),
        401,
        "unauthenticated",
    )

    # Malformed JSON and JSON that is not an object: 400 with a message.
    for raw in (b'{"text": ', b"[1, 2]", b'"text"', b"null", b"\xff\xfe", b""):
        response = client.open(
            url, method=method, data=raw, content_type="application/json", headers=auth
        )
        if reads_json and raw:  # a body sent must parse, or its data would be lost silently
            assert response.status_code in {400, 415}, (
                raw,
                response.status_code,
                response.data[:200],
            )
        if response.status_code >= 400:
            _assert_error_shape(response, response.status_code)
        assert response.status_code < 500

    # A body over MAX_CONTENT_LENGTH: 413 too_large.
    client.application.config["MAX_CONTENT_LENGTH"] = 2048
    big = b'{"text": "' + b"x" * 4096 + b'"}'
    response = client.open(
        url, method=method, data=big, content_type="application/json", headers=auth
    )
    _assert_error_shape(response, 413, "too_large")


@pytest.mark.parametrize(("method", "rule", "_reads_json"), API_WRITES)
def test_api_wrong_method_is_405_json(client, world, method, rule, _reads_json):
    url = _fill(rule, world["values"])
    app = client.application
    allowed = set()
    adapter = app.url_map.bind("localhost")
    for candidate in ("GET", *WRITE_METHODS):
        try:
            endpoint, _ = adapter.match(url, method=candidate)
        except Exception:  # noqa: BLE001 - MethodNotAllowed / NotFound
            continue
        if endpoint != "api.unknown":
            allowed.add(candidate)
    assert method in allowed
    for other in ("GET", *WRITE_METHODS):
        if other in allowed:
            continue
        response = client.open(url, method=other, json={})
        assert response.status_code in {404, 405}, (other, url, response.status_code)
        _assert_error_shape(response, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/api/nothing-here",
        "/api/documents/nothing-here",
        "/api/documents/charter/versions/9",
        "/api/amendments/999999",
        "/api/documents/charter/translations/xx-nope",
        "/api/documents/charter/amendments/../../etc",
        "/api/bodies/%3Cscript%3E",
    ],
)
def test_api_not_found_is_404_json(client, world, url):
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        response = client.open(
            url, method=method, json={}, headers={"Authorization": f"Bearer {world['token']}"}
        )
        if method == "GET" or response.status_code in {404, 405}:
            assert response.status_code in {400, 404, 405}, (method, url, response.status_code)
            _assert_error_shape(response, response.status_code)


def test_api_get_over_max_content_length_is_413_json(client, world):
    client.application.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(
        "/api/documents",
        data=b"x" * 5000,
        content_type="application/json",
        headers={"Authorization": f"Bearer {world['token']}"},
    )
    _assert_error_shape(response, 413, "too_large")
