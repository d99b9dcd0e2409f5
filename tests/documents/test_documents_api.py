"""The documents JSON API: reads, writes, permissions and every error."""

import pytest

PARAGRAPHS = ["# Charter", "All groups are equal.", "Votes are weighed per group."]


@pytest.fixture
def doc(make_document, add_version, make_body, make_user):
    coordinator, member = make_user(), make_user()
    body = make_body("Drafting team", coordinators=[coordinator], members=[member])
    document = make_document(paragraphs=PARAGRAPHS, slug="charter", owner=body)
    add_version(document, [PARAGRAPHS[0], "All groups are full equals.", "A new paragraph."])
    document.coordinator, document.member = coordinator, member
    return document


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def assert_error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    return error["message"]


def test_list_documents(client, doc):
    data = client.get("/api/documents").get_json()
    [item] = data["documents"]
    assert item["slug"] == "charter" and item["title"] == "Charter"
    assert item["status"] == "open" and item["languages"] == ["en"]
    assert item["latest_version"]["number"] == 2 and item["latest_version"]["label"] == "Rev.2"
    assert item["owner"] == "drafting-team"


def test_show_document_current_version(client, doc):
    data = client.get("/api/documents/charter").get_json()
    assert (data["number"], data["label"], data["status"], data["owner"]) == (
        2,
        "Rev.2",
        "open",
        "drafting-team",
    )
    assert [p["text"] for p in data["paragraphs"]] == [
        "# Charter",
        "All groups are full equals.",
        "A new paragraph.",
    ]
    assert data["paragraphs"][0]["html"] == "<h1>Charter</h1>\n"
    keys = [p.key for p in doc.versions[0].paragraphs]
    assert data["paragraphs"][0]["key"] == keys[0] and data["paragraphs"][1]["key"] == keys[1]
    assert data["paragraphs"][1]["changed_in"] == 2


def test_versions_and_one_version(client, doc):
    versions = client.get("/api/documents/charter/versions").get_json()["versions"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["cause"] == "publish"
    one = client.get("/api/documents/charter/versions/1").get_json()
    assert one["number"] == 1 and one["current"] is False
    assert [p["text"] for p in one["paragraphs"]] == PARAGRAPHS


def test_diff(client, doc):
    data = client.get("/api/documents/charter/diff?from=1&to=2").get_json()
    assert data["from"]["number"] == 1 and data["to"]["number"] == 2
    statuses = [(p["status"], p["before"], p["after"]) for p in data["paragraphs"]]
    assert statuses == [
        ("unchanged", "# Charter", "# Charter"),
        ("modified", "All groups are equal.", "All groups are full equals."),
        ("deleted", "Votes are weighed per group.", None),
        ("inserted", None, "A new paragraph."),
    ]


@pytest.mark.parametrize(
    "url, status, code",
    [
        ("/api/documents/nope", 404, "not_found"),
        ("/api/documents/nope/versions", 404, "not_found"),
        ("/api/documents/charter/versions/9", 404, "not_found"),
        ("/api/documents/charter/diff?from=1&to=9", 404, "not_found"),
        ("/api/documents/nope/diff?from=1&to=2", 404, "not_found"),
        ("/api/documents/charter/diff?from=abc&to=2", 400, "bad_request"),
        ("/api/documents/charter/diff?from=1&to=", 200, None),
        ("/api/documents/charter/diff?from=1&to=1.0", 400, "bad_request"),
        ("/api/documents/charter?lang=fr", 404, "not_found"),
        ("/api/documents/charter?lang=%3Cscript%3E", 400, "bad_request"),
    ],
)
def test_read_errors(client, doc, url, status, code):
    response = client.get(url)
    if code is None:
        assert response.status_code == status
    else:
        assert_error(response, status, code)


def test_create_document_as_admin(client, make_user, make_token, make_body):
    make_body("Drafting team")
    token = make_token(make_user(admin=True))
    response = client.post(
        "/api/documents",
        headers=bearer(token),
        json={
            "title": "New charter",
            "markdown": "# New charter\n\nFirst.\n\n- a\n- b",
            "language": "en",
            "owner": "drafting-team",
        },
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert (
        data["slug"] == "new-charter" and data["number"] == 1 and data["owner"] == "drafting-team"
    )
    assert [p["text"] for p in data["paragraphs"]] == ["# New charter", "First.", "- a", "- b"]
    assert response.headers["Location"].endswith("/api/documents/new-charter")
    assert client.get("/documents/new-charter").status_code == 200


def test_create_requires_token_and_admin(client, make_user, make_token):
    body = {"title": "T", "markdown": "Text."}
    assert_error(client.post("/api/documents", json=body), 401, "unauthenticated")
    assert_error(
        client.post("/api/documents", json=body, headers=bearer("agora_bogus")),
        401,
        "unauthenticated",
    )
    token = make_token(make_user())
    assert_error(client.post("/api/documents", json=body, headers=bearer(token)), 403, "forbidden")


@pytest.mark.parametrize(
    "body, status, fragment",
    [
        ({"markdown": "Text."}, 400, "`title`"),
        ({"title": "T"}, 400, "`markdown`"),
        ({"title": "T", "markdown": "   "}, 400, "`markdown`"),
        ({"title": 5, "markdown": "Text."}, 400, "`title`"),
        ({"title": "T", "markdown": "Text.", "owner": "nobody"}, 400, "No body"),
        ({"title": "T", "markdown": "Text.", "language": "not a tag"}, 400, "`language`"),
        ({"title": "T", "markdown": "Text.", "status": "secret"}, 400, "Unknown status"),
        ({"title": "x" * 301, "markdown": "Text."}, 400, "300 characters"),
        ({"title": "T", "markdown": "x" * (1024 * 1024 + 1)}, 413, "larger"),
    ],
)
def test_create_bad_bodies(client, make_user, make_token, body, status, fragment):
    token = make_token(make_user(admin=True))
    response = client.post("/api/documents", json=body, headers=bearer(token))
    assert response.status_code == status
    assert fragment in response.get_json()["error"]["message"]


def test_create_with_non_json_body(client, make_user, make_token):
    token = make_token(make_user(admin=True))
    response = client.post("/api/documents", data="nope", headers=bearer(token))
    assert_error(response, 400, "bad_request")


def test_patch_by_coordinator_and_admin(client, doc, make_token, make_user, make_body):
    other = make_body("Plenary", kind="plenary", team_role=None)
    token = make_token(doc.coordinator)
    response = client.patch(
        "/api/documents/charter", json={"status": "closed"}, headers=bearer(token)
    )
    assert response.status_code == 200 and response.get_json()["status"] == "closed"
    admin = make_token(make_user(admin=True))
    response = client.patch(
        "/api/documents/charter", json={"owner": other.slug}, headers=bearer(admin)
    )
    assert response.get_json()["owner"] == "plenary"
    # The former owner's coordinator no longer manages it.
    response = client.patch(
        "/api/documents/charter", json={"status": "open"}, headers=bearer(token)
    )
    assert_error(response, 403, "forbidden")


def test_patch_permissions_and_errors(client, doc, make_token, make_user):
    assert_error(
        client.patch("/api/documents/charter", json={"status": "closed"}), 401, "unauthenticated"
    )
    member = make_token(doc.member)
    assert_error(
        client.patch("/api/documents/charter", json={"status": "closed"}, headers=bearer(member)),
        403,
        "forbidden",
    )
    outsider = make_token(make_user())
    assert_error(
        client.patch("/api/documents/charter", json={"status": "closed"}, headers=bearer(outsider)),
        403,
        "forbidden",
    )
    admin = make_token(make_user(admin=True))
    assert_error(
        client.patch("/api/documents/nope", json={"status": "closed"}, headers=bearer(admin)),
        404,
        "not_found",
    )
    for body in (
        {"status": "secret"},
        {"owner": "nobody"},
        {"title": "x"},
        {},
        {"status": 3},
        {"owner": 5},
    ):
        assert_error(
            client.patch("/api/documents/charter", json=body, headers=bearer(admin)),
            400,
            "bad_request",
        )
    assert client.get("/api/documents/charter").get_json()["status"] == "open"


def test_openapi_describes_every_operation(client):
    spec = client.get("/api/openapi.json").get_json()
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/documents"])
    assert {"get", "patch"} <= set(paths["/api/documents/{slug}"])
    for path in (
        "/api/documents/{slug}/versions",
        "/api/documents/{slug}/versions/{number}",
        "/api/documents/{slug}/diff",
    ):
        assert "get" in paths[path]
    assert "DiffParagraph" in spec["components"]["schemas"]
