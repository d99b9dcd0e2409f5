"""The demo administrator's password is in the README: it must never open a public server."""

from sqlalchemy import select

from app.accounts.demo import DEMO_PASSWORD, DEMO_PEOPLE, is_loopback, load_demo
from app.accounts.models import User
from app.accounts.services import authenticate
from app.extensions import db


def test_loopback_addresses():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.0.2.4", "example.org", ""))


def test_a_loopback_demo_signs_in_and_a_public_start_is_refused(app, runner, tmp_path):
    load_demo(tmp_path)
    db.session.commit()
    assert authenticate("admin@example.org", DEMO_PASSWORD) is not None

    assert runner.invoke(args=["demo", "guard", "--host", "127.0.0.1"]).exit_code == 0
    for args in (["--host", "0.0.0.0"], ["--host", "::"], ["--host", "127.0.0.1", "--production"]):
        refused = runner.invoke(args=["demo", "guard", *args])
        assert refused.exit_code != 0, args
        assert "admin@example.org" in refused.output and "flask demo lock" in refused.output

    locked = runner.invoke(args=["demo", "lock"])
    assert locked.exit_code == 0 and f"{len(DEMO_PEOPLE)} demo account(s) locked" in locked.output
    db.session.expire_all()
    assert authenticate("admin@example.org", DEMO_PASSWORD) is None
    assert runner.invoke(args=["demo", "guard", "--host", "0.0.0.0"]).exit_code == 0
    assert runner.invoke(args=["demo", "guard", "--production"]).exit_code == 0
    # The people stay, as authors of the sample activity.
    assert db.session.scalar(select(User).where(User.email == "admin@example.org")) is not None


def test_a_demo_loaded_for_a_public_address_cannot_sign_in(app, runner, tmp_path):
    result = runner.invoke(args=["demo", "load", "--drafts", str(tmp_path), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "demo accounts cannot sign in" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "admin@example.org")) is not None
    assert authenticate("admin@example.org", DEMO_PASSWORD) is None
    assert runner.invoke(args=["demo", "guard", "--host", "0.0.0.0"]).exit_code == 0
