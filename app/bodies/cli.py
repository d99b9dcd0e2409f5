"""`flask bodies seed` and `flask bodies add-member`."""

import click
from flask.cli import AppGroup

from app.core.errors import DomainError
from app.extensions import db

bodies = AppGroup("bodies", help="The bodies of the summit and their members.")


@bodies.command("seed")
def seed():
    """Create the default bodies that do not exist yet."""
    from app.bodies.services import seed_bodies

    created = seed_bodies()
    db.session.commit()
    click.echo(
        f"{len(created)} bodies created." if created else "Every default body exists already."
    )


@bodies.command("add-member")
@click.argument("body")
@click.argument("email")
@click.option("--coordinator", is_flag=True, help="Make the person a coordinator.")
def add_member(body, email, coordinator):
    """Add the person with EMAIL to the body with slug BODY."""
    from app.bodies.queries import body_by_slug
    from app.bodies.services import add_member as add
    from app.bodies.services import find_user_by_email

    found = body_by_slug(body)
    if found is None:
        raise click.ClickException(f"No body with the slug {body!r} (see /bodies).")
    try:
        user = find_user_by_email(email)
        add(found, user, coordinator=coordinator)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    role = "coordinator" if coordinator else "member"
    click.echo(f"{user.name} <{user.email}> is now a {role} of the {found.name}.")
