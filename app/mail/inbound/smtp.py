"""The SMTP side of `flask mail serve`: aiosmtpd moves bytes, `receive()` decides."""

import asyncio
import logging
import signal
import threading

from aiosmtpd.controller import Controller

from app.extensions import db
from app.mail.inbound.receiving import check_recipient, receive

log = logging.getLogger("app.mail.inbound")

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class ListHandler:
    """aiosmtpd handler: one recipient per transaction, the database work off the event loop."""

    def __init__(self, app):
        self.app = app

    def _in_app(self, function, *args):
        with self.app.app_context():
            try:
                return function(*args)
            except Exception:
                log.exception("inbound mail failed")
                db.session.rollback()
                return "451 4.3.0 Temporary failure; try again later."
            finally:
                db.session.remove()

    async def _run(self, function, *args):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._in_app, function, *args)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if envelope.rcpt_tos:
            # The sending server retries the others in a transaction of their own.
            return "452 4.5.3 One recipient at a time, please."
        refusal = await self._run(check_recipient, envelope.mail_from or "", address)
        if refusal:
            log.info("mail from <%s> to <%s>: %s", envelope.mail_from, address, refusal)
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if not envelope.rcpt_tos:
            return "554 5.5.1 No valid recipients."
        answer = await self._run(
            receive, envelope.mail_from or "", envelope.rcpt_tos[0], envelope.original_content
        )
        log.info("mail from <%s> to <%s>: %s", envelope.mail_from, envelope.rcpt_tos[0], answer)
        return answer


def controller(app, host: str, port: int) -> Controller:
    """An SMTP server for the lists, not yet started."""
    limit = int(app.config.get("MAIL_INBOUND_MAX_BYTES") or DEFAULT_MAX_BYTES)
    return Controller(
        ListHandler(app),
        hostname=host,
        port=port,
        server_hostname=app.config.get("LIST_DOMAIN", "lists.localhost"),
        data_size_limit=limit,
        decode_data=False,
        enable_SMTPUTF8=True,
    )


def serve(app, host: str, port: int) -> None:
    """Receive mail until Ctrl-C or SIGTERM."""
    # aiosmtpd logs every SMTP command at INFO; our own log says what was posted or refused.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = controller(app, host, port)
    server.start()
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
    print(f"Receiving list mail for @{app.config['LIST_DOMAIN']} on {host}:{port}", flush=True)
    try:
        stop.wait()
    finally:
        server.stop()
