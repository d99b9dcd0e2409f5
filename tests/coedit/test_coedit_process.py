"""Real server processes, started as production starts them (gunicorn.conf.py: gunicorn, one
gevent worker): a SIGKILL mid-session loses nothing acknowledged; two processes behind Redis
serve one document and their clients converge."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.coedit_client import SocketClient

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, uri: str, port: int, queue: str | None = None):
        self.uri, self.port, self.queue = uri, port, queue
        self.url = f"http://127.0.0.1:{port}"
        self.process = None

    def start(self):
        env = dict(
            os.environ,
            HOST="127.0.0.1",
            PORT=str(self.port),
            DATABASE_URL=self.uri,
            SITE_ORIGIN=self.url,
            SECRET_KEY="process-test-secret",
            PYTHONPATH=str(ROOT),
        )
        env.pop("SOCKETIO_MESSAGE_QUEUE", None)
        if self.queue:
            env["SOCKETIO_MESSAGE_QUEUE"] = self.queue
            # pub/sub ignores the database number: a channel of this test run's own
            env["SOCKETIO_CHANNEL"] = f"agora-process-test-{os.getpid()}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # the master and its worker: one group, killed together
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"{self.url}/api/documents/declaration/live", timeout=2
                ) as response:
                    assert "gunicorn" in response.headers.get("Server", "").lower()
                    return self
            except OSError:
                assert self.process.poll() is None, "the server process died at start"
                time.sleep(0.2)
        raise AssertionError("the server did not start")

    def kill(self):
        """A crash: master and worker die at once, nothing is flushed or closed."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


def stored_text(server: Server) -> str:
    import json

    with urllib.request.urlopen(
        f"{server.url}/api/documents/declaration/live", timeout=5
    ) as response:
        return json.loads(response.read())["text"]


def converge(clients, server, timeout=30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for client in clients:
            client.sync()
        text = stored_text(server)
        if all(c.text == text and c.core.shadow == text and not c.core.outbox for c in clients):
            return text
        time.sleep(0.2)
    raise AssertionError(
        f"no convergence: {[c.text for c in clients]!r} vs {stored_text(server)!r}"
    )


@pytest.fixture
def tokens(team, make_token):
    return make_token(team["member"]), make_token(team["other_member"])


def burst(client: SocketClient, markers: list[str], acked: set, lock) -> None:
    """Type and send one sync per marker at once, without waiting for any answer.

    Each sync carries the whole outbox (the protocol's one-in-flight rule is broken on purpose,
    as a client whose answers are slow would resend); an answer {ok, n} acknowledges every edit
    n' < n of the client state it was sent for.
    """
    for marker in markers:
        with client.lock:
            core = client.core
            at = core.text.index(" drafting as equals")  # never inside another marker
            core.edit(core.text[:at] + marker + core.text[at:])
            n, client_id = core.n, core.client_id
            payload = core.sync_payload()
            assert core.n == n + 1 and payload["edits"][-1]["n"] == n
        client.burst_sent[n] = marker

        def answered(ack, client_id=client_id, sent=client.burst_sent):
            if isinstance(ack, dict) and ack.get("ok") and client.core.client_id == client_id:
                with lock:
                    acked.update(m for k, m in list(sent.items()) if k < ack["n"])

        client.sio.emit("sync", payload, namespace="/coedit", callback=answered)


def stored_in_database(app) -> tuple[str, int]:
    from sqlalchemy import select

    from app.coedit.models import LiveText
    from app.extensions import db

    db.session.rollback()
    return db.session.execute(select(LiveText.text, LiveText.rev)).one()


def test_sigkill_during_a_burst_of_syncs_loses_no_acknowledged_edit(app, database_uri, tokens):
    import threading

    server = Server(database_uri, free_port()).start()
    clients = []
    lock = threading.Lock()
    try:
        clients = [SocketClient(server.url, "declaration", "en", token=t) for t in tokens]
        for c in clients:
            c.connect()
            c.burst_sent = {}
        acknowledged = set()
        for k in range(4):  # a calm start: one sync at a time
            for i, c in enumerate(clients):
                marker = f"<{i}.{k}😀>"
                c.insert(len(c.text) if i else 0, marker)
                if c.sync() and marker in c.core.base:
                    acknowledged.add(marker)
        time.sleep(1.1)  # out of the rate limiter's window
        typed = []
        for i, c in enumerate(clients):
            markers = [f"<burst {i}.{k}>" for k in range(6)]
            typed += markers
            burst(c, markers, acknowledged, lock)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # until the first answer to the burst arrives...
            with lock:
                if acknowledged & set(typed):
                    break
            time.sleep(0.001)
        server.kill()  # ...then the server dies while the rest is in flight
        time.sleep(0.3)  # answers that left before the kill arrive (none can arrive after)
        with lock:
            acked_now = set(acknowledged)
        text, rev = stored_in_database(app)
        missing = [marker for marker in acked_now if marker not in text]
        assert not missing, (missing, text)  # what was acknowledged was stored before
        assert acked_now & set(typed), "the burst got no answer before the kill"
        assert rev >= 9
        for i, c in enumerate(clients):  # typing goes on while the server is down
            c.insert(len(c.text) // 2, f"<offline {i}>")
            c.sync()
        server.start()
        text = converge(clients, server)
        assert all(marker in text for marker in acked_now)
        # the clients kept what they typed, acknowledged or not: it reaches the restarted server
        assert all(marker in text for marker in typed), text
        assert "<offline 0>" in text and "<offline 1>" in text
        assert clients[0].text == clients[1].text == text
    finally:
        for c in clients:
            c.close()
        server.stop()


@pytest.mark.redis
def test_two_processes_behind_redis_converge(database_uri, tokens):
    queue = f"redis://127.0.0.1:6379/{7 + os.getpid() % 8}"
    first = Server(database_uri, free_port(), queue).start()
    second = Server(database_uri, free_port(), queue).start()
    clients = []
    try:
        a = SocketClient(first.url, "declaration", "en", token=tokens[0])
        b = SocketClient(second.url, "declaration", "en", token=tokens[1])
        clients = [a, b]
        a.connect()
        b.connect()
        a.insert(0, "<from the first process>")
        a.sync()
        # b learns of it through `changed` relayed by Redis, without syncing by hand
        assert b.wait_for(lambda text: "<from the first process>" in text, timeout=10)
        b.insert(len(b.text), "<from the second process>")
        b.sync()
        assert a.wait_for(lambda text: "<from the second process>" in text, timeout=10)
        for k in range(5):
            a.insert(k * 7, f"[a{k}]")
            b.insert(len(b.text) - k * 5, f"[b{k}]")
        text = converge(clients, first)
        assert all(f"[a{k}]" in text and f"[b{k}]" in text for k in range(5))
        assert stored_text(second) == text
    finally:
        for c in clients:
            c.close()
        first.stop()
        second.stop()
