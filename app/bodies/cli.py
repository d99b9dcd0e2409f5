"""`flask bodies seed`, `flask bodies create` and `flask bodies add-member`."""

import click
from flask.cli import AppGroup

from app.bodies.queries import body_by_slug, find_user_by_email
from app.bodies.services import add_member as add
from app.bodies.services import create_body, seed_bodies, slug_for
from app.core.errors import DomainError
from app.extensions import db

bodies = AppGroup("bodies", help="The bodies of the summit and their members.")


@bodies.command("seed")
def seed():
    """Create the default bodies that do not exist yet."""
    created = seed_bodies()
    db.session.commit()
    click.echo(
        f"{len(created)} bodies created." if created else "Every default body exists already."
    )


@bodies.command("create")
@click.argument("name")
@click.option(
    "--kind",
    required=True,
    help="bureau, plenary, team, regional_caucus, thematic_caucus or working_group.",
)
@click.option(
    "--team-role",
    default=None,
    help="For a team: general, coordination, drafting, speaker_nomination or translation.",
)
@click.option("--purpose", default="", help="What the body is for (shown on its page).")
@click.option("--slug", default=None, help="The slug (default: made from the name).")
@click.option("--closed", is_flag=True, help="Joined by request only (default: open).")
def create(name, kind, team_role, purpose, slug, closed):
    """Create a body named NAME (for example a working group)."""
    try:
        body = create_body(
            name,
            kind,
            team_role=team_role,
            purpose=purpose,
            is_open=not closed,
            # On the command line a taken slug is an error, not a silent "-2".
            slug=slug if slug is not None else (slug_for(name) or None),
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    how = "joined by request" if closed else "open"
    click.echo(f"Created the {body.name} ({body.kind_label.lower()}, {how}): /bodies/{body.slug}")


@bodies.command("add-member")
@click.argument("body")
@click.argument("email")
@click.option("--coordinator", is_flag=True, help="Make the person a coordinator.")
def add_member(body, email, coordinator):
    """Add the person with EMAIL to the body with slug BODY."""
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
