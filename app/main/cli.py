"""`flask demo load`: the sample content that `make run` shows on a fresh database."""

import importlib
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.accounts.demo import DEMO_PASSWORD, is_loopback, lock_demo_accounts, open_demo_accounts
from app.documents.models import Document
from app.extensions import db
from app.mail.lists import without_list_mail
from app.notifications.services import without_notifications

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
    "search",  # last: indexes whatever the others loaded
)


HOST_HELP = "Address the server will listen on; demo sign-in only on loopback."


@demo.command("load")
@click.option("--drafts", "drafts_dir", default=None, help="Folder of sample Markdown documents.")
@click.option("--host", default="127.0.0.1", envvar="HOST", show_default=True, help=HOST_HELP)
def load(drafts_dir, host):
    """Import drafts/ and the demo participants, bodies and activity when the database is empty."""
    current_app.config["DEMO_SIGN_IN"] = is_loopback(host)
    if not is_loopback(host):
        click.echo(f"demo: {host} is reachable beyond this machine; demo accounts cannot sign in.")
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
        # Sample activity is not news for anyone's mailbox, nor mail for a list.
        with without_notifications(), without_list_mail():
            module.load_demo(drafts)
        db.session.commit()
        click.echo(f"demo: {name} loaded")


@demo.command("guard")
@click.option("--host", default="127.0.0.1", envvar="HOST", show_default=True, help=HOST_HELP)
@click.option("--production", is_flag=True, help="A production start: refuse on any address.")
def guard(host, production):
    """Refuse to serve beyond loopback (or in production) while a demo account has the
    password printed in the README."""
    if is_loopback(host) and not production:
        return
    exposed = open_demo_accounts()
    if exposed:
        names = ", ".join(user.email for user in exposed)
        raise click.ClickException(
            f"Demo accounts with the published password {DEMO_PASSWORD!r} exist ({names}); "
            f"anyone reaching {host} could sign in as them. Run `flask demo lock` to give "
            "them unusable passwords (their sample contributions stay), or serve on 127.0.0.1."
        )


@demo.command("lock")
def lock():
    """Give every demo account an unusable password, for a server others can reach."""
    locked = lock_demo_accounts()
    db.session.commit()
    click.echo(f"demo: {len(locked)} demo account(s) locked.")
