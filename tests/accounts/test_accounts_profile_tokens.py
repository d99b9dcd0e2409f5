"""Profile editing, password change, API tokens and the public person page."""

from datetime import timedelta

from sqlalchemy import select

from app.accounts import services
from app.accounts.groups import pending_request
from app.accounts.models import ApiToken
from app.accounts.passwords import verify_password
from app.extensions import db

PASSWORD = "correct horse battery staple"


def test_profile_requires_login(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/login?next=%2Fprofile" in response.headers["Location"]


def test_profile_edit_details(client, make_user, login):
    user = make_user(country="KE")
    login(client, user)
    response = client.post(
        "/profile/details",
        data={
            "name": "Amina N.",
            "organization": "New org",
            "country": "FR",
            "group": "government",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    # A new group is only requested: it waits for a focal point or an administrator.
    assert (user.name, user.organization, user.country, user.group) == (
        "Amina N.",
        "New org",
        "FR",
        "civil_society",
    )
    assert user.region == "europe" and user.side == "north"
    assert pending_request(user).to_group == "government"


def test_profile_edit_errors_keep_typed(client, make_user, login):
    user = make_user(country="KE")
    login(client, user)
    response = client.post(
        "/profile/details",
        data={
            "name": "Typed name",
            "organization": "Typed org",
            "country": "ZZ",
            "group": "civil_society",
        },
    )
    assert response.status_code == 400
    assert b"country" in response.data
    assert b'value="Typed name"' in response.data and b'value="Typed org"' in response.data
    db.session.refresh(user)
    assert user.country == "KE" and user.name != "Typed name"


def test_change_password_needs_current(client, make_user, login):
    user = make_user()
    login(client, user)
    wrong = client.post(
        "/profile/password",
        data={
            "current": "not my password",
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert wrong.status_code == 400 and b"current password is not correct" in wrong.data
    weak = client.post(
        "/profile/password", data={"current": PASSWORD, "password": "short", "confirm": "short"}
    )
    assert weak.status_code == 400 and b"at least 10" in weak.data
    ok = client.post(
        "/profile/password",
        data={
            "current": PASSWORD,
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert ok.status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, "a brand new passphrase")
    assert user.password_hash.startswith("$argon2id$")


def test_token_create_shown_once_list_and_revoke(client, make_user, login):
    user = make_user()
    login(client, user)
    created = client.post("/profile/tokens", data={"token_name": "my script"})
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    html = created.data.decode()
    plain = html.split('id="new-token-value" class="token-value" type="text" readonly value="')[
        1
    ].split('"')[0]
    assert plain.startswith("agora_") and len(plain) > 40
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.token_hash != plain and plain not in token.token_hash
    assert services.user_for_token(plain).id == user.id

    listing = client.get("/profile").data.decode()
    assert "my script" in listing and token.prefix in listing
    assert plain not in listing  # shown exactly once

    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 302
    db.session.expire_all()
    assert services.user_for_token(plain) is None
    assert "revoked" in client.get("/profile").data.decode()


def test_revoked_token_no_longer_authenticates_api(app, client, make_user, make_token):
    from flask import g

    from app.accounts.api_auth import Unauthenticated, api_user

    user = make_user()
    plain = make_token(user)
    with app.test_request_context(headers={"Authorization": f"Bearer {plain}"}):
        assert api_user().id == user.id
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    services.revoke_api_token(user, token.id)
    db.session.commit()
    with app.test_request_context(headers={"Authorization": f"Bearer {plain}"}):
        g.pop("api_user", None)
        try:
            api_user()
        except Unauthenticated:
            pass
        else:
            raise AssertionError("a revoked token still authenticates")


def test_cannot_revoke_someone_elses_token(client, make_user, make_token, login):
    owner, other = make_user(), make_user()
    make_token(owner)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    login(client, other)
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_last_used_marked_at_most_once_a_minute(app, make_user, make_token):
    user = make_user()
    plain = make_token(user)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.last_used_at is None
    services.user_for_token(plain)
    db.session.commit()
    db.session.expire_all()
    first = db.session.get(ApiToken, token.id).last_used_at
    assert first is not None
    services.user_for_token(plain)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == first
    # More than a minute later, it is marked again.
    db.session.get(ApiToken, token.id).last_used_at = first - timedelta(minutes=2)
    db.session.commit()
    services.user_for_token(plain)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at > first - timedelta(minutes=1)


def test_person_page_public_and_escaped(client, make_user):
    user = make_user(name="<script>alert(1)</script>", country="BR", organization="<b>Org</b>")
    response = client.get(f"/people/{user.id}")
    assert response.status_code == 200
    html = response.data.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Org&lt;/b&gt;" in html
    assert "Brazil" in html and "Latin America and the Caribbean" in html and "South" in html
    assert "Civil society" in html


def test_person_page_unknown_is_404(client):
    assert client.get("/people/999").status_code == 404
