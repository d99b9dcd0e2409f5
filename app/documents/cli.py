"""`flask drafts import PATH...`: Markdown drafts into versioned documents."""

import click
from flask.cli import AppGroup

from app.core.errors import DomainError
from app.documents.importing import (
    collect_sources,
    import_sources,
    is_skipped,
    resolve_import_options,
)
from app.documents.models import DOCUMENT_STATUSES
from app.extensions import db

drafts = AppGroup("drafts", help="Import Markdown drafts as versioned documents.")


@drafts.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--owner", "owner_slug", default=None, metavar="BODY_SLUG", help="Body that owns the documents."
)
@click.option(
    "--status",
    type=click.Choice(list(DOCUMENT_STATUSES)),
    default=None,
    help="Status to set (new documents default to drafting).",
)
@click.option(
    "--language", default="en", show_default=True, help="Source language of new documents."
)
def import_command(paths, owner_slug, status, language):
    """Import Markdown files; a directory is one document whose files, in name order, are its versions.

    Re-importing a changed draft adds the next version; an unchanged draft adds nothing.
    Every file is checked before anything is written: one bad file imports nothing.
    """
    from pathlib import Path

    for path in map(Path, paths):
        if path.exists() and is_skipped(path):
            click.echo(f"{path}: skipped (not a draft)")

    try:
        sources = collect_sources(paths)
        owner, status = resolve_import_options(owner_slug, status)
        results = import_sources(sources, owner=owner, status=status, language=language)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(f"{error.message} Nothing was imported.") from error
    if not sources:
        click.echo("Nothing to import.")
    for result in results:
        labels = ", ".join(v.label for v in result.versions)
        if result.action == "created":
            click.echo(f"{result.slug}: created {result.document.title!r} with {labels}")
        elif result.action == "updated":
            click.echo(f"{result.slug}: added {labels}")
        else:
            current = result.document.current_version
            click.echo(
                f"{result.slug}: unchanged (still {current.label if current else 'no version'})"
            )
