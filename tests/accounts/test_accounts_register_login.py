"""Registration, login and logout through the pages."""

import pytest
from sqlalchemy import select

from app import create_app
from app.accounts.models import User
from app.config import TestConfig
from app.extensions import db

GOOD = {
    "name": "Wanjiru Kamau",
    "email": "wanjiru@example.org",
    "password": "river stones at dusk",
    "confirm": "river stones at dusk",
    "group": "civil_society",
    "organization": "Kenya ICT Action",
    "country": "KE",
}


def _user(email="wanjiru@example.org"):
    return db.session.scalar(select(User).where(User.email == email))


def test_register_creates_participant_and_logs_in(client):
    page = client.get("/register")
    assert page.status_code == 200
    for name in ("name", "email", "password", "confirm", "group", "organization", "country"):
        assert f'name="{name}"'.encode() in page.data
    assert b'value="KE"' in page.data and b"Register" in page.data

    response = client.post("/register", data=GOOD)
    # The same answer as for a taken address (tests/security): check your mail, then log in.
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert b"Check your mail" in client.get("/login").data
    user = _user()
    assert user.name == "Wanjiru Kamau" and user.group == "civil_society"
    assert user.region == "africa" and user.side == "south" and not user.is_admin
    login = client.post("/login", data={"email": GOOD["email"], "password": GOOD["password"]})
    assert login.status_code == 302
    profile = client.get("/profile")
    assert profile.status_code == 200 and b"Wanjiru Kamau" in profile.data


def test_register_honours_local_next(client):
    response = client.post("/register?next=/discussions", data=GOOD)
    assert response.headers["Location"] == "/login?next=/discussions"
    login = client.post(
        response.headers["Location"], data={"email": GOOD["email"], "password": GOOD["password"]}
    )
    assert login.headers["Location"] == "/discussions"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"password": "short", "confirm": "short"}, b"at least 10 characters"),
        ({"password": "aaaaaaaaaaaa", "confirm": "aaaaaaaaaaaa"}, b"too easy to guess"),
        ({"confirm": "something else entirely"}, b"The two passwords differ"),
        ({"group": "aliens"}, b"stakeholder group"),
        ({"country": "XX"}, b"country"),
        ({"email": "not-an-address"}, b"Invalid e-mail"),
        ({"name": ""}, b"A name is required"),
    ],
)
def test_register_bad_input_keeps_typed_fields(client, change, message):
    data = {**GOOD, **change}
    response = client.post("/register", data=data)
    assert response.status_code == 400
    assert message in response.data
    html = response.data.decode()
    if change.get("name", None) != "":
        assert 'value="Wanjiru Kamau"' in html
    assert 'value="Kenya ICT Action"' in html
    if "email" not in change:
        assert 'value="wanjiru@example.org"' in html
    if "country" not in change:
        assert '<option selected value="KE">' in html
    # Passwords are never echoed back.
    assert "river stones at dusk" not in html and data["password"] not in html.split("</header>")[1]
    assert _user() is None


def test_register_duplicate_email_creates_nothing_and_reveals_nothing(client, make_user):
    make_user(email="wanjiru@example.org")
    response = client.post("/register", data={**GOOD, "email": "Wanjiru@Example.org"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert b"already exists" not in client.get("/login").data
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_password_hash_is_argon2id(client):
    client.post("/register", data=GOOD)
    stored = _user().password_hash
    assert stored.startswith("$argon2id$v=19$")
    assert "river stones" not in stored


def test_login_logout_and_old_cookie_stops_working(app, make_user):
    user = make_user(email="lina@example.org")
    first = app.test_client()
    response = first.post(
        "/login", data={"email": "lina@example.org", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert first.get("/profile").status_code == 200

    # A second client holding a copy of the same session cookie.
    cookie = first.get_cookie("session")
    second = app.test_client()
    second.set_cookie("session", cookie.value)
    assert second.get("/profile").status_code == 200

    assert first.post("/logout").status_code == 302
    assert first.get("/profile").status_code == 302
    stale = second.get("/profile")
    assert stale.status_code == 302 and "/login" in stale.headers["Location"]
    db.session.refresh(user)
    assert user.session_epoch == 1


def test_login_failure_is_generic(client, make_user):
    make_user(email="lina@example.org")
    wrong_password = client.post(
        "/login", data={"email": "lina@example.org", "password": "nope nope nope"}
    )
    unknown = client.post(
        "/login", data={"email": "ghost@example.org", "password": "nope nope nope"}
    )
    for response in (wrong_password, unknown):
        assert response.status_code == 400
        assert b"The e-mail address or the password is not correct." in response.data
    assert b'value="lina@example.org"' in wrong_password.data


def test_login_clears_previous_session(client, make_user):
    make_user(email="lina@example.org")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post(
        "/login", data={"email": "lina@example.org", "password": "correct horse battery staple"}
    )
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(str(_user("lina@example.org").id) + ":")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil",
    ],
)
def test_login_refuses_open_redirect(client, make_user, target):
    make_user(email="lina@example.org")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "lina@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_local_next(client, make_user):
    make_user(email="lina@example.org")
    response = client.post(
        "/login?next=/profile%23tokens",
        data={"email": "lina@example.org", "password": "correct horse battery staple"},
    )
    assert response.headers["Location"] == "/profile#tokens"


def test_logout_needs_post(client, make_user, login):
    login(client, make_user())
    assert client.get("/logout").status_code == 405
    assert client.get("/profile").status_code == 200


def test_csrf_enforced_when_enabled(database_uri, make_user):
    app = create_app(
        TestConfig, {"SQLALCHEMY_DATABASE_URI": database_uri, "WTF_CSRF_ENABLED": True}
    )
    with app.app_context():
        client = app.test_client()
        refused = client.post("/register", data=GOOD)
        assert refused.status_code == 400
        assert db.session.scalar(select(User).where(User.email == GOOD["email"])) is None
        page = client.get("/register").data.decode()
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        accepted = client.post("/register", data={**GOOD, "csrf_token": token})
        assert accepted.status_code == 302
        credentials = {"email": GOOD["email"], "password": GOOD["password"]}
        assert client.post("/login", data={**credentials, "csrf_token": token}).status_code == 302
        # Logging out without the token is refused too: the session stays.
        assert client.post("/logout").status_code == 400
        assert client.get("/profile").status_code == 200
        db.session.remove()
