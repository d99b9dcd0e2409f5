"""Mail: the outbox and its worker, account mail, one-click unsubscribe, /admin/mail."""

from flask import Blueprint

bp = Blueprint("mail", __name__)

from app.mail import account, cli, lists, routes  # noqa: E402,F401


def init_app(app) -> None:
    account.connect()
    lists.init_app(app)
    app.cli.add_command(cli.mail)
