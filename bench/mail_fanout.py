"""Benchmark of mail fan-out: one list post to N members (default 5,000).

Measured:
  * queueing: building N per-recipient messages (list headers, signed one-click unsubscribe
    link and reply address for each) and inserting them with one multi-row INSERT, committed
    as one transaction;
  * the worker: `deliver_batch()` until the queue is empty (claim, build MIME, send over one
    SMTP connection per batch, record the outcome), against a local aiosmtpd sink;
  * the baseline: plain smtplib sending the same N messages (already built) in a loop over one
    connection to the same sink.
The sink runs in its own process (`python -m aiosmtpd -c aiosmtpd.handlers.Sink`) so that it
takes no CPU from the measured process.

    .venv/bin/python bench/mail_fanout.py -n 5000
    .venv/bin/python bench/mail_fanout.py -n 5000 --database postgresql://postgres@127.0.0.1:5432/bench_mail

Loopback only; the sink process is stopped at the end. `--json FILE` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_sink(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the aiosmtpd sink did not start")


def _make_app(database: str | None, workdir: str):
    from app import create_app
    from app.config import Config
    from app.extensions import db

    url = database or f"sqlite:///{workdir}/bench.db"
    app = create_app(
        Config,
        {"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1),
         "MAIL_DIR": f"{workdir}/mail", "SITE_ORIGIN": "http://127.0.0.1:5000"},
    )  # fmt: skip
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def _fanout_rows(n: int) -> list[dict]:
    from app.mail.addresses import reply_address, unsubscribe_url
    from app.mail.builder import list_headers
    from app.mail.outbox import new_message_id

    message_id = new_message_id("post")
    rows = []
    for i in range(1, n + 1):
        headers = list_headers(
            slug="gender-caucus",
            name="Gender caucus",
            archive_url="http://127.0.0.1:5000/bodies/gender-caucus/discussions",
            unsubscribe_url=unsubscribe_url(i, "list:1"),
        )
        headers["Reply-To"] = reply_address(i, "thread:1")
        rows.append(
            {
                "to": f"member{i}@example.org",
                "subject": "[Gender caucus] Access to information in every region",
                "text": "We propose to strengthen paragraph 2.\n\n" * 20,
                "html": "<p>We propose to strengthen paragraph 2.</p>" * 20,
                "headers": headers,
                "message_id": message_id,
                "automatic": False,
                "sender": "Pia Proposer via Gender caucus <gender-caucus@lists.localhost>",
                "kind": "list",
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=5000, help="recipients")
    parser.add_argument("--database", default=None, help="postgresql://... (default SQLite)")
    parser.add_argument("--json", default=None, help="write the figures to this file")
    args = parser.parse_args()

    from sqlalchemy import func, select

    from app.extensions import db
    from app.mail.builder import build_message
    from app.mail.delivery import deliver_batch
    from app.mail.models import SENT, OutboxMail
    from app.mail.outbox import queue_bulk

    port = _free_port()
    sink = _start_sink(port)
    figures: dict = {"recipients": args.n, "database": "postgresql" if args.database else "sqlite"}
    try:
        with tempfile.TemporaryDirectory() as workdir:
            app = _make_app(args.database, workdir)
            app.config["MAIL_URL"] = f"smtp://127.0.0.1:{port}"
            with app.test_request_context():
                started = time.perf_counter()
                rows = _fanout_rows(args.n)
                queue_bulk(rows)
                db.session.commit()
                figures["queue_seconds"] = time.perf_counter() - started

                # Baseline: the same messages, built beforehand, sent in a plain loop.
                messages = [
                    (build_message(mail), mail.recipient)
                    for mail in db.session.scalars(select(OutboxMail).order_by(OutboxMail.id))
                ]
                started = time.perf_counter()
                with smtplib.SMTP("127.0.0.1", port) as smtp:
                    for message, recipient in messages:
                        smtp.send_message(message, to_addrs=[recipient])
                figures["smtplib_seconds"] = time.perf_counter() - started
                del messages
                db.session.expire_all()

                started = time.perf_counter()
                while deliver_batch():
                    pass
                figures["worker_seconds"] = time.perf_counter() - started
                sent = db.session.scalar(
                    select(func.count(OutboxMail.id)).where(OutboxMail.status == SENT)
                )
                figures["worker_sent"] = sent
            with app.app_context():
                db.drop_all()
    finally:
        sink.terminate()
        sink.wait(timeout=10)

    figures["smtplib_rate"] = args.n / figures["smtplib_seconds"]
    figures["worker_rate"] = args.n / figures["worker_seconds"]
    figures["ratio"] = figures["worker_rate"] / figures["smtplib_rate"]
    print(
        f"{args.n} recipients on {figures['database']}: queued in one transaction in "
        f"{figures['queue_seconds']:.2f} s; worker {figures['worker_rate']:.0f} msg/s "
        f"({figures['worker_sent']} sent), plain smtplib loop {figures['smtplib_rate']:.0f} msg/s, "
        f"ratio {figures['ratio']:.2f}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    os.environ.setdefault("SOCKETIO_ASYNC_MODE", "threading")
    main()
