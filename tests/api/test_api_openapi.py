"""/api/openapi.json is a valid OpenAPI 3.1 document that describes every API route."""

import re

from openapi_spec_validator import validate

UNDOCUMENTED = {"/api/openapi.json", "/api/docs", "/api/<path:_unknown>"}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_spec_is_valid_openapi(client):
    spec = client.get("/api/openapi.json").get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.1")
    assert "bearer" in spec["components"]["securitySchemes"]


def test_every_api_route_and_method_is_documented(app, client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule in UNDOCUMENTED:
            continue
        documented = paths.get(_openapi_path(rule.rule), {})
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method.lower() not in documented:
                missing.append(f"{method} {rule.rule}")
    assert missing == []


def test_design_contract_rows_are_present(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    contract = {
        "/api/documents": {"get", "post"},
        "/api/documents/{slug}": {"get", "patch"},
        "/api/documents/{slug}/live": {"get"},
        "/api/documents/{slug}/versions": {"get"},
        "/api/documents/{slug}/versions/{number}": {"get"},
        "/api/documents/{slug}/diff": {"get"},
        "/api/documents/{slug}/amendments": {"get", "post"},
        "/api/amendments/{amendment_id}": {"get"},
        "/api/amendments/{amendment_id}/position": {"put"},
        "/api/amendments/{amendment_id}/accept": {"post"},
        "/api/amendments/{amendment_id}/reject": {"post"},
        "/api/amendments/{amendment_id}/withdraw": {"post"},
        "/api/documents/{slug}/publish": {"post"},
        "/api/documents/{slug}/translations": {"post"},
        "/api/documents/{slug}/translations/{lang}": {"get"},
        "/api/documents/{slug}/translations/{lang}/{key}": {"put"},
        "/api/documents/{slug}/translations/{lang}/xliff": {"get", "post"},
        "/api/bodies": {"get"},
        "/api/bodies/{slug}": {"get"},
        "/api/documents/{slug}/balance": {"get"},
    }
    for path, methods in contract.items():
        assert methods <= set(paths.get(path, {})), path
