"""`flask users ...` commands."""

from sqlalchemy import select

from app.accounts import services
from app.accounts.models import User
from app.extensions import db


def test_create_user_with_password(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "ada@example.org",
            "--name",
            "Ada Admin",
            "--group",
            "international_organization",
            "--password",
            "long enough secret phrase",
            "--admin",
            "--country",
            "ch",
            "--organization",
            "Secretariat",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created administrator Ada Admin" in result.output
    user = db.session.scalar(select(User).where(User.email == "ada@example.org"))
    assert user.is_admin and user.country == "CH" and user.organization == "Secretariat"
    assert user.password_hash.startswith("$argon2id$")


def test_create_user_prompts_for_hidden_password(runner):
    result = runner.invoke(
        args=["users", "create", "bo@example.org", "--name", "Bo", "--group", "government"],
        input="prompted pass phrase\nprompted pass phrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "prompted pass phrase" not in result.output
    assert services.authenticate("bo@example.org", "prompted pass phrase") is not None


def test_create_user_bad_input_is_clear(runner, make_user):
    make_user(email="dup@example.org")
    cases = [
        (
            [
                "dup@example.org",
                "--name",
                "X",
                "--group",
                "government",
                "--password",
                "long enough phrase",
            ],
            "already exists",
        ),
        (
            [
                "new@example.org",
                "--name",
                "X",
                "--group",
                "aliens",
                "--password",
                "long enough phrase",
            ],
            "Invalid value for '--group'",
        ),
        (
            ["new@example.org", "--name", "X", "--group", "government", "--password", "short"],
            "at least 10 characters",
        ),
        (
            [
                "new@example.org",
                "--name",
                "X",
                "--group",
                "government",
                "--password",
                "long enough phrase",
                "--country",
                "QQ",
            ],
            "Unknown country",
        ),
        (
            [
                "bad-address",
                "--name",
                "X",
                "--group",
                "government",
                "--password",
                "long enough phrase",
            ],
            "Invalid e-mail",
        ),
    ]
    for args, message in cases:
        result = runner.invoke(args=["users", "create", *args])
        assert result.exit_code != 0
        assert message in result.output
        assert "Traceback" not in result.output
    assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None


def test_token_prints_working_token(runner, make_user):
    user = make_user(email="tok@example.org")
    result = runner.invoke(args=["users", "token", "tok@example.org", "--name", "robot"])
    assert result.exit_code == 0
    plain = result.output.strip()
    assert services.user_for_token(plain).id == user.id
    assert user.tokens[0].name == "robot"


def test_token_unknown_user(runner):
    result = runner.invoke(args=["users", "token", "ghost@example.org"])
    assert result.exit_code != 0
    assert "No account" in result.output


def test_list_users(runner, make_user):
    assert "No participants" in runner.invoke(args=["users", "list"]).output
    make_user(email="one@example.org", admin=True)
    make_user(email="two@example.org", group="private_sector")
    output = runner.invoke(args=["users", "list"]).output
    assert "one@example.org" in output and "admin" in output
    assert "two@example.org" in output and "private_sector" in output


def test_demo_people(app):
    from app.accounts.demo import DEMO_PASSWORD, load_demo

    load_demo(None)
    db.session.commit()
    load_demo(None)  # idempotent
    db.session.commit()
    admin = services.authenticate("admin@example.org", DEMO_PASSWORD)
    assert admin is not None and admin.is_admin and admin.country == "CH"
    amina = services.get_user_by_email("amina@example.org")
    assert (amina.name, amina.group, amina.country) == ("Amina Njoroge", "civil_society", "KE")
    groups = set(db.session.scalars(select(User.group)))
    assert groups == {"government", "civil_society", "private_sector", "international_organization"}
    assert {"north", "south"} <= set(db.session.scalars(select(User.side)))
