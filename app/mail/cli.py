"""`flask mail worker|serve` (`flask mail digest` is added by notifications)."""

import signal
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.mail import inbound
from app.mail.delivery import deliver_batch


@click.group("mail", help="Send queued mail, queue digests, receive list mail.")
def mail():
    pass


# Work the worker does on every round besides sending: domains above mail register a
# callable here (notifications queues its digests when their period has passed).
SCHEDULED: list = []


@mail.command("worker")
@click.option("--once", is_flag=True, help="Send until the queue is empty, then stop.")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between looks at the queue.")
@with_appcontext
def worker(once: bool, poll: float):
    """Send queued mail over SMTP (MAIL_URL) or into instance/mail/ as .eml files."""
    stopping = {"now": False}

    def stop(*_):
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop)
    target = current_app.config.get("MAIL_URL") or current_app.config["MAIL_DIR"]
    click.echo(f"mail worker: sending to {_redact(target)}")
    sent = 0
    try:
        while not stopping["now"]:
            if not once:
                for task in SCHEDULED:
                    task()
            handled = deliver_batch()
            sent += handled
            if handled == 0:
                if once:
                    break
                time.sleep(poll)
    except KeyboardInterrupt:
        pass
    finally:
        db.session.remove()
    click.echo(f"mail worker: {sent} message(s) handled")


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return url


@mail.command("serve")
@click.option("--host", default=None, help="Address to listen on (default from MAIL_INBOUND).")
@click.option("--port", default=None, type=int, help="Port (default from MAIL_INBOUND).")
@with_appcontext
def serve(host, port):
    """Receive SMTP for the mailing lists and reply addresses (MAIL_INBOUND)."""
    default_host, _, default_port = current_app.config["MAIL_INBOUND"].rpartition(":")
    inbound.serve(
        current_app._get_current_object(),
        host or default_host or "127.0.0.1",
        port or int(default_port or 2525),
    )
