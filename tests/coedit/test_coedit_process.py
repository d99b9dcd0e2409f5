"""Real server processes: a SIGKILL mid-session loses nothing acknowledged; two processes
behind Redis serve one document and their clients converge."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app.coedit.client import SocketClient

ROOT = Path(__file__).resolve().parents[2]
RUNNER = """
import sys
from app import create_app
from app.config import Config
from app.extensions import socketio
uri, port = sys.argv[1], int(sys.argv[2])
app = create_app(Config, {"SQLALCHEMY_DATABASE_URI": uri, "SITE_ORIGIN": f"http://127.0.0.1:{port}"})
socketio.run(app, host="127.0.0.1", port=port, allow_unsafe_werkzeug=True, use_reloader=False,
             log_output=False)
"""

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
        env = dict(os.environ, SECRET_KEY="process-test-secret", PYTHONPATH=str(ROOT))
        env.pop("SOCKETIO_MESSAGE_QUEUE", None)
        if self.queue:
            env["SOCKETIO_MESSAGE_QUEUE"] = self.queue
        self.process = subprocess.Popen(
            [sys.executable, "-c", RUNNER, self.uri, str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"{self.url}/api/documents/declaration/live", timeout=1
                ):
                    return self
            except OSError:
                assert self.process.poll() is None, "the server process died at start"
                time.sleep(0.2)
        raise AssertionError("the server did not start")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
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


def test_sigkill_and_restart_loses_no_acknowledged_edit(database_uri, tokens):
    server = Server(database_uri, free_port()).start()
    clients = []
    try:
        clients = [SocketClient(server.url, "declaration", "en", token=t) for t in tokens]
        for c in clients:
            c.connect()
        acknowledged = []
        for k in range(6):
            for i, c in enumerate(clients):
                marker = f"<{i}.{k}😀>"
                c.insert(len(c.text) if i else 0, marker)
                if c.sync() and marker in c.core.base:
                    acknowledged.append(marker)
        server.kill()
        for i, c in enumerate(clients):  # typing goes on while the server is down
            c.insert(len(c.text) // 2, f"<offline {i}>")
            c.sync()
        server.start()
        text = converge(clients, server)
        assert acknowledged and all(marker in text for marker in acknowledged)
        assert "<offline 0>" in text and "<offline 1>" in text
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
