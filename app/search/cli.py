"""`flask search reindex`: rebuild the index from the content (after a restore or an upgrade)."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.search.index import reindex_all
from app.search.models import SearchEntry

search_cli = AppGroup("search", help="The platform's full-text search index.")


@search_cli.command("reindex")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Only when the index holds nothing (an upgraded database): cheap at every start.",
)
def reindex(if_empty):
    """Index every paragraph, translation, amendment, comment, post, body and person again."""
    if if_empty and db.session.scalar(select(SearchEntry.id).limit(1)) is not None:
        click.echo("search: the index is filled; nothing to do")
        return
    count = reindex_all()
    db.session.commit()
    click.echo(f"search: {count} entries indexed")
