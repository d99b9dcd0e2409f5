"""`flask mail digest` and the digests the mail worker queues when their period has passed.

The commands and the worker loop are mail's (app/mail/cli.py); digests are notifications', so
this module adds them there.
"""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.amendments.proceedings import close_expired_periods, take_due_reminders
from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.cli import SCHEDULED, mail
from app.mail.models import DigestRun
from app.notifications.mailing import due_periods, queue_digests
from app.notifications.receivers import remind_closing_period


def run_digest(period: str) -> int:
    """Queue the digests of `period` and record the run (one transaction)."""
    count = queue_digests(period)
    run = db.session.get(DigestRun, period) or DigestRun(period=period)
    run.ran_at = utcnow()
    db.session.add(run)
    db.session.commit()
    return count


def schedule_digests() -> None:
    """Run every digest whose period has passed since its last run."""
    last = {run.period: run.ran_at for run in db.session.scalars(select(DigestRun))}
    for period in due_periods(last):
        if period not in last:
            # First start: begin counting the period now rather than mailing at once.
            db.session.add(DigestRun(period=period, ran_at=utcnow()))
            db.session.commit()
        else:
            run_digest(period)


def schedule_amendment_periods(now=None) -> None:
    """Remind followers a day before a period closes (once), and close periods past their date.

    Both are marked in the transaction that makes their notifications and mail, so a worker
    run twice, or two workers, send each once.
    """
    now = now or utcnow()
    for document in take_due_reminders(now):
        remind_closing_period(document)
    close_expired_periods(now)
    db.session.commit()


@mail.command("digest")
@click.argument("period", type=click.Choice(["daily", "weekly"]))
@with_appcontext
def digest(period: str):
    """Queue the daily or weekly digests now (the worker also runs them on schedule)."""
    count = run_digest(period)
    click.echo(f"Queued {count} {period} digest(s).")


SCHEDULED.extend([schedule_digests, schedule_amendment_periods])
