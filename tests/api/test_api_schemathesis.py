"""Property-based fuzzing of the whole API from its own description (/api/openapi.json).

Every operation gets a few generated requests, with a valid token of an administrator so that
writes get past authentication: no answer is a 500, and every answer (status, content type,
body) matches what the description promises.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


@pytest.fixture
def api_schema(app, make_user, make_token, make_document):
    make_document(slug="declaration")
    app.config["API_TEST_TOKEN"] = make_token(make_user(admin=True))
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_described(case, app):
    # The WSGI transport asks for gzip but does not decode it (compression has its own tests).
    headers = {
        "Authorization": f"Bearer {app.config['API_TEST_TOKEN']}",
        "Accept-Encoding": "identity",
    }
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)
