"""Account mail: verification, password reset without enumeration, notices of changes."""

import re
import time

from sqlalchemy import select

from app.core import signals
from app.extensions import db
from app.mail.models import OutboxMail

DEFAULT_PASSWORD = "correct horse battery staple"


def _mails(to, kind=None):
    query = select(OutboxMail).where(OutboxMail.recipient == to).order_by(OutboxMail.id)
    if kind:
        query = query.where(OutboxMail.kind == kind)
    return list(db.session.scalars(query))


def _link(mail) -> str:
    return re.search(r"http://localhost(/\S+)", mail.text).group(1)


def test_registration_is_instant_and_mails_a_verification_link(app, client):
    response = client.post(
        "/register",
        data={
            "name": "Nia New",
            "email": "nia@example.org",
            "password": DEFAULT_PASSWORD,
            "confirm": DEFAULT_PASSWORD,
            "group": "civil_society",
            "country": "KE",
            "organization": "",
        },
    )
    assert response.status_code == 302
    from app.accounts.models import User

    user = db.session.scalar(select(User).where(User.email == "nia@example.org"))
    assert user is not None and user.email_verified_at is None
    (mail,) = _mails("nia@example.org", "account:verify")
    assert client.get(_link(mail)).status_code == 200
    db.session.refresh(user)
    assert user.email_verified_at is not None


def test_a_forged_or_stale_verification_link_is_refused(app, client, make_user):
    user = make_user(email="a@example.org")
    link = _link(_mails("a@example.org", "account:verify")[0])
    assert client.get(link + "x").status_code == 404
    user.email = "b@example.org"  # the address changed since the link was sent
    db.session.commit()
    assert client.get(link).status_code == 404


def test_users_created_on_the_command_line_are_verified(app, runner):
    result = runner.invoke(
        args=["users", "create", "cli@example.org", "--name", "Cli Person",
              "--group", "government", "--password", DEFAULT_PASSWORD]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    from app.accounts.models import User

    user = db.session.scalar(select(User).where(User.email == "cli@example.org"))
    assert user.email_verified_at is not None
    assert _mails("cli@example.org", "account:verify") == []


def test_reset_answers_the_same_for_known_and_unknown_addresses(app, client, make_user):
    make_user(email="known@example.org")
    known = client.post("/password/forgot", data={"email": "known@example.org"})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    assert len(_mails("known@example.org", "account:reset")) == 1
    assert _mails("nobody@example.org") == []


def test_reset_link_works_once_and_ends_sessions(app, client, make_user):
    from app.accounts.services import authenticate

    user = make_user(email="known@example.org")
    epoch = user.session_epoch
    client.post("/password/forgot", data={"email": "known@example.org"})
    link = _link(_mails("known@example.org", "account:reset")[0])
    new = "a brand new passphrase 42"
    response = client.post(link, data={"password": new, "confirm": new})
    assert response.status_code == 302
    assert authenticate("known@example.org", new) is not None
    db.session.refresh(user)
    assert user.session_epoch != epoch
    # Used: the second time it is refused.
    assert client.post(link, data={"password": new + "x", "confirm": new + "x"}).status_code == 404
    # And the old address hears of the change.
    assert _mails("known@example.org", "account:notice")


def test_reset_link_expires(app, client, make_user):
    make_user(email="known@example.org")
    client.post("/password/forgot", data={"email": "known@example.org"})
    link = _link(_mails("known@example.org", "account:reset")[0])
    app.config["MAIL_TOKEN_MAX_AGE"] = -1
    time.sleep(0.01)
    assert client.get(link).status_code == 404


def test_address_change_is_told_to_the_old_address(app, make_user):
    user = make_user(email="old@example.org")
    user.email = "new@example.org"
    signals.credentials_changed.send(user, what="email", old_email="old@example.org")
    db.session.commit()
    notices = _mails("old@example.org", "account:notice")
    assert len(notices) == 1 and "changed" in notices[0].subject
    assert _mails("new@example.org", "account:verify")
    assert user.email_verified_at is None


def test_registration_for_a_taken_address_mails_the_owner(app, make_user):
    owner = make_user(email="owner@example.org")
    signals.registration_for_taken_email.send(owner)
    db.session.commit()
    assert len(_mails("owner@example.org", "account:notice")) == 1
