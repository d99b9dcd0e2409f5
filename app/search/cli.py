"""`flask search reindex`: rebuild the index from the content (after a restore or an upgrade)."""

import click
from flask.cli import AppGroup

from app.extensions import db
from app.search.index import reindex_all

search_cli = AppGroup("search", help="The platform's full-text search index.")


@search_cli.command("reindex")
def reindex():
    """Index every paragraph, translation, amendment, comment, post, body and person again."""
    count = reindex_all()
    db.session.commit()
    click.echo(f"search: {count} entries indexed")
