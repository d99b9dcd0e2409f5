"""Mail: the outbox and its worker, account mail, one-click unsubscribe, /admin/mail."""

from flask import Blueprint

bp = Blueprint("mail", __name__)


def init_app(app) -> None:
    from app.mail import account, cli, lists

    account.connect()
    lists.init_app(app)
    app.cli.add_command(cli.mail)


from app.mail import routes  # noqa: E402,F401
