"""`flask drafts export SLUG --format F --out PATH`."""

from pathlib import Path

import click

from app.core.errors import DomainError
from app.documents.queries import get_document
from app.exports.queries import export_compilation, export_version


@click.command("export")
@click.argument("slug")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "pdf", "html", "md", "txt", "akn"]),
    default="docx",
    show_default=True,
)
@click.option(
    "--version", "number", type=click.IntRange(min=1), default=None, help="Default: current."
)
@click.option("--lang", default=None, help="A language the document has (default: its source).")
@click.option("--compilation", is_flag=True, help="The compilation text with pending amendments.")
@click.option(
    "--out",
    type=click.Path(dir_okay=True, path_type=Path),
    default=None,
    help="File or directory to write (default: the export's own name, here).",
)
def export_command(slug, fmt, number, lang, compilation, out):
    """Write a version of a document (or its compilation text) in a format."""
    try:
        document = get_document(slug)
        if compilation:
            data, _, name = export_compilation(document, fmt)
        else:
            data, _, name = export_version(document, number, fmt, lang)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    path = out or Path(name)
    if path.is_dir():
        path = path / name
    path.write_bytes(data)
    click.echo(f"{path} ({len(data)} bytes)")
