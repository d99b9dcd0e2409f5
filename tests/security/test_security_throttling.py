"""Rate limits over HTTP: login per account and per address, registration, posting, preview."""

import pytest

from app.extensions import db

DEFAULT_PASSWORD = "correct horse battery staple"  # the factories' password (conftest)


@pytest.fixture
def app_overrides():
    # On here only: the rest of the suite runs without limits (TestConfig).
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


def _login(client, email, password, address="10.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_sixty_wrong_passwords_are_refused_and_then_the_right_one_too(client, make_user):
    make_user(email="lina@example.org")
    answers = [
        _login(client, "lina@example.org", f"wrong guess {n}").status_code for n in range(60)
    ]
    first_refusal = answers.index(429)
    assert 0 < first_refusal <= 10
    assert set(answers[:first_refusal]) == {400}
    assert set(answers[first_refusal:]) == {429}

    right = _login(client, "lina@example.org", DEFAULT_PASSWORD)
    assert right.status_code == 429
    assert int(right.headers["Retry-After"]) > 0
    assert "Too many attempts" in right.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_account_limit_holds_across_addresses(client, make_user):
    make_user(email="lina@example.org")
    answers = [
        _login(client, "Lina@Example.org ", "wrong guess", address=f"10.1.{n}.1").status_code
        for n in range(20)
    ]
    assert 429 in answers
    assert _login(client, "lina@example.org", DEFAULT_PASSWORD, "10.9.9.9").status_code == 429


def test_address_limit_holds_across_accounts(client, make_user):
    make_user(email="lina@example.org")
    answers = [
        _login(client, f"person{n}@example.org", "wrong guess", address="10.2.0.1").status_code
        for n in range(40)
    ]
    assert 429 in answers
    assert _login(client, "lina@example.org", DEFAULT_PASSWORD, "10.2.0.1").status_code == 429
    # Another address and account are unaffected.
    assert _login(client, "lina@example.org", DEFAULT_PASSWORD, "10.3.0.1").status_code == 302


def test_successful_logins_do_not_count(app, make_user):
    make_user(email="lina@example.org")
    for _ in range(12):
        client = app.test_client()
        assert _login(client, "lina@example.org", DEFAULT_PASSWORD).status_code == 302


def test_registration_is_limited_per_address(client):
    answers = []
    for n in range(15):
        response = client.post(
            "/register",
            data={
                "name": f"Person {n}",
                "email": f"person{n}@example.org",
                "password": "river stones at dusk",
                "confirm": "river stones at dusk",
                "group": "civil_society",
                "country": "KE",
            },
            environ_base={"REMOTE_ADDR": "10.4.0.1"},
        )
        answers.append(response.status_code)
    assert answers[0] == 302 and answers[-1] == 429


def test_api_answers_json_429_with_retry_after(app, client, make_user, make_token, make_document):
    document = make_document()
    keys = [paragraph.key for paragraph in document.current_version.paragraphs]
    headers = {"Authorization": f"Bearer {make_token(make_user())}"}
    app.config["PROPOSE_LIMIT"] = "2/minute"
    path = f"/api/documents/{document.slug}/amendments"

    def propose(n):
        body = {"kind": "modify", "paragraph": keys[n], "text": f"New text {n}.", "rationale": "."}
        return client.post(path, json=body, headers=headers)

    assert [propose(n).status_code for n in (1, 2)] == [201, 201]
    refused = propose(3)
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) > 0


def test_preview_is_limited(app, client, make_document):
    document = make_document()
    app.config["PREVIEW_LIMIT"] = "5/minute"
    url = f"/documents/{document.slug}/live/preview"
    answers = [client.post(url, json={"text": "*hello*"}).status_code for _ in range(8)]
    assert answers[:5] == [200] * 5 and answers[5:] == [429] * 3


def test_posting_is_limited_per_person(app, client, make_user, login, make_document):
    user = make_user()
    login(client, user)
    document = make_document()
    app.config["POST_LIMIT"] = "3/minute"
    url = f"/documents/{document.slug}/discussions/new"
    answers = [
        client.post(url, data={"title": f"Topic {n}", "text": f"Body of topic {n}"}).status_code
        for n in range(5)
    ]
    assert answers[:3] == [302] * 3 and answers[3:] == [429] * 2
    # Another person is not affected.
    other = app.test_client()
    login(other, make_user())
    assert other.post(url, data={"title": "Mine", "text": "My topic"}).status_code == 302
    db.session.rollback()


@pytest.mark.redis
def test_limits_are_shared_through_redis_between_processes(database_uri, make_user):
    """Two apps (two worker processes) with REDIS_URL count the same attempts."""
    import secrets

    from app import create_app
    from app.config import TestConfig

    make_user(email="lina@example.org")
    config = {
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": None,
        "REDIS_URL": "redis://127.0.0.1:6379/13",
        "RATELIMIT_KEY_PREFIX": f"agora-test-{secrets.token_hex(6)}",
        "LOGIN_LIMIT_PER_ACCOUNT": "4/minute",
    }
    first, second = create_app(TestConfig, config), create_app(TestConfig, config)
    assert first.extensions["agora_limiter"].storage.__class__.__name__ == "RedisStorage"
    for n in range(2):
        assert _login(first.test_client(), "lina@example.org", f"wrong {n}").status_code == 400
        assert _login(second.test_client(), "lina@example.org", f"wrong {n}").status_code == 400
    assert _login(first.test_client(), "lina@example.org", DEFAULT_PASSWORD).status_code == 429
    first.extensions["agora_limiter"].reset()


def test_limited_api_operations_document_the_429(client):
    spec = client.get("/api/openapi.json").get_json()
    answer = spec["paths"]["/api/documents/{slug}/amendments"]["post"]["responses"]["429"]
    assert "Retry-After" in answer["headers"]
