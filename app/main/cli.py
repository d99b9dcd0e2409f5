"""`flask demo load`: the sample content that `make run` shows on a fresh database."""

import importlib
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.documents.models import Document
from app.extensions import db

demo = AppGroup("demo", help="Sample content for a fresh installation.")

# Each domain may offer demo.py with load_demo(drafts_dir); called in this order.
DEMO_ORDER = (
    "accounts",
    "bodies",
    "documents",
    "amendments",
    "translations",
    "discussion",
    "coedit",
)


@demo.command("load")
@click.option("--drafts", "drafts_dir", default=None, help="Folder of sample Markdown documents.")
def load(drafts_dir):
    """Import drafts/ and the demo participants, bodies and activity when the database is empty."""
    if db.session.scalar(select(Document.id).limit(1)) is not None:
        click.echo("Database already has documents; demo content not loaded.")
        return
    drafts = Path(drafts_dir) if drafts_dir else Path(current_app.root_path).parent / "drafts"
    for name in DEMO_ORDER:
        try:
            module = importlib.import_module(f"app.{name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"app.{name}.demo":
                raise
            continue
        from app.notifications.services import without_notifications

        with without_notifications():  # sample activity is not news for anyone's mailbox
            module.load_demo(drafts)
        db.session.commit()
        click.echo(f"demo: {name} loaded")
