"""`flask users ...` commands."""

import functools

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.accounts import services
from app.accounts.models import STAKEHOLDER_GROUPS
from app.core.errors import DomainError
from app.extensions import db

users = AppGroup("users", help="Manage participants and their API tokens.")


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


def _database_guard(command):
    """Turn a missing or unreachable database into a clear message instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (OperationalError, ProgrammingError) as error:
            _fail(
                f"The database is not ready ({error.orig.__class__.__name__}); "
                "run `flask db upgrade` first."
            )

    return wrapper


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name, shown publicly.")
@click.option(
    "--group",
    required=True,
    type=click.Choice(sorted(STAKEHOLDER_GROUPS)),
    help="Stakeholder group.",
)
@click.option("--password", default=None, help="Password; asked for (hidden, twice) when omitted.")
@click.option("--admin", is_flag=True, help="Make the person an administrator.")
@click.option("--country", default="CH", show_default=True, help="ISO 3166-1 alpha-2 country code.")
@click.option("--organization", default="", help="Organization.")
@_database_guard
def create(email, name, group, password, admin, country, organization):
    """Create a participant (an administrator with --admin)."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.register_user(
            email=email,
            name=name,
            password=password,
            group=group,
            country=country.upper(),
            organization=organization,
            is_admin=admin,
            verified=True,
        )
    except DomainError as error:
        _fail(error.message)
    db.session.commit()
    role = "administrator" if user.is_admin else "participant"
    click.echo(f"Created {role} {user.name} <{user.email}> (id {user.id}).")


@users.command("token")
@click.argument("email")
@click.option("--name", "token_name", default="CLI token", show_default=True, help="Token name.")
@_database_guard
def token(email, token_name):
    """Create a personal API token and print it (only this once) on stdout."""
    try:
        user = services.get_user_by_email(email)
        _, plain = services.create_api_token(user, token_name)
    except DomainError as error:
        _fail(error.message)
    db.session.commit()
    click.echo(plain)


@users.command("list")
@_database_guard
def list_users():
    """List every participant: id, e-mail, name, group, country, administrator."""
    people = services.list_users()
    if not people:
        click.echo("No participants yet.")
        return
    for user in people:
        flag = " admin" if user.is_admin else ""
        click.echo(f"{user.id}\t{user.email}\t{user.name}\t{user.group}\t{user.country}{flag}")
