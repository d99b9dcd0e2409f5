"""`flask mail worker|digest|serve`."""

import signal
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from app.core.timeutil import utcnow
from app.extensions import db


@click.group("mail", help="Send queued mail, queue digests, receive list mail.")
def mail():
    pass


def run_digest(period: str) -> int:
    """Queue the digests of `period` and record the run (one transaction)."""
    from app.mail.models import DigestRun
    from app.notifications.mailing import queue_digests

    count = queue_digests(period)
    run = db.session.get(DigestRun, period) or DigestRun(period=period)
    run.ran_at = utcnow()
    db.session.add(run)
    db.session.commit()
    return count


def schedule_digests() -> None:
    """Run every digest whose period has passed since its last run."""
    from sqlalchemy import select

    from app.mail.models import DigestRun
    from app.notifications.mailing import due_periods

    last = {run.period: run.ran_at for run in db.session.scalars(select(DigestRun))}
    for period in due_periods(last):
        if period not in last:
            # First start: begin counting the period now rather than mailing at once.
            db.session.add(DigestRun(period=period, ran_at=utcnow()))
            db.session.commit()
        else:
            run_digest(period)


@mail.command("worker")
@click.option("--once", is_flag=True, help="Send until the queue is empty, then stop.")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between looks at the queue.")
@with_appcontext
def worker(once: bool, poll: float):
    """Send queued mail over SMTP (MAIL_URL) or into instance/mail/ as .eml files."""
    from app.mail.delivery import deliver_batch

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
                schedule_digests()
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


@mail.command("digest")
@click.argument("period", type=click.Choice(["daily", "weekly"]))
@with_appcontext
def digest(period: str):
    """Queue the daily or weekly digests now (the worker also runs them on schedule)."""
    count = run_digest(period)
    click.echo(f"Queued {count} {period} digest(s).")


@mail.command("serve")
@click.option("--host", default=None, help="Address to listen on (default from MAIL_INBOUND).")
@click.option("--port", default=None, type=int, help="Port (default from MAIL_INBOUND).")
@with_appcontext
def serve(host, port):
    """Receive SMTP for the mailing lists and reply addresses (MAIL_INBOUND)."""
    from app.mail import inbound

    default_host, _, default_port = current_app.config["MAIL_INBOUND"].rpartition(":")
    inbound.serve(
        current_app._get_current_object(),
        host or default_host or "127.0.0.1",
        port or int(default_port or 2525),
    )
