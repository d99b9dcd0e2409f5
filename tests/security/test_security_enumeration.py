"""No account enumeration: registration and login answer alike for taken and free addresses."""

import re

from sqlalchemy import func, select

from app.accounts import passwords, services
from app.accounts.models import User
from app.core import signals
from app.extensions import db

FORM = {
    "name": "Wanjiru Kamau",
    "password": "river stones at dusk",
    "confirm": "river stones at dusk",
    "group": "civil_society",
    "organization": "Kenya ICT Action",
    "country": "KE",
}


def _answer(client, email):
    response = client.post("/register", data={**FORM, "email": email})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    flash = re.search(r'<div class="flash[^>]*>(.*?)</div>', page, re.S).group(1)
    return response.status_code, response.headers["Location"], flash.replace(email, "<email>")


def test_taken_and_free_addresses_get_the_same_answer(app, make_user):
    owner = make_user(email="taken@example.org")
    told = []
    welcomed = []
    with (
        signals.registration_for_taken_email.connected_to(lambda sender: told.append(sender)),
        signals.user_registered.connected_to(lambda sender, **_: welcomed.append(sender.email)),
    ):
        taken = _answer(app.test_client(), "Taken@Example.org")
        free = _answer(app.test_client(), "Free@Example.org")
    assert taken == free
    assert taken[0] == 302 and "Check your mail" in taken[2]
    assert told == [owner]
    assert welcomed == ["free@example.org"]
    assert db.session.scalar(select(func.count(User.id))) == 2


def test_registration_hashes_the_password_for_a_taken_address_too(app, make_user, monkeypatch):
    make_user(email="taken@example.org")
    calls = []
    real = services.hash_password
    monkeypatch.setattr(services, "hash_password", lambda pw: calls.append(pw) or real(pw))
    app.test_client().post("/register", data={**FORM, "email": "taken@example.org"})
    app.test_client().post("/register", data={**FORM, "email": "free@example.org"})
    assert calls == [FORM["password"], FORM["password"]]


def test_login_runs_the_hasher_for_unknown_addresses(app, make_user, monkeypatch):
    make_user(email="lina@example.org")
    checked = []
    real = services.verify_password
    monkeypatch.setattr(
        services, "verify_password", lambda stored, pw: checked.append(stored) or real(stored, pw)
    )
    for email in ("lina@example.org", "ghost@example.org"):
        response = app.test_client().post("/login", data={"email": email, "password": "wrong one"})
        assert response.status_code == 400
    assert len(checked) == 2
    assert checked[1] == passwords.dummy_hash()  # an argon2id hash with today's parameters
    assert checked[1].startswith("$argon2id$") and not passwords.needs_rehash(checked[1])
