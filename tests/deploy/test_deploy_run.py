"""`make run`'s server: the Procfile under honcho serves through gunicorn and stops on Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_procfile_serves_through_gunicorn_and_stops_on_ctrl_c(app, database_uri):
    port = free_port()
    env = dict(
        os.environ,
        HOST="127.0.0.1",
        PORT=str(port),
        DATABASE_URL=database_uri,
        SECRET_KEY="run-test-secret",
        PYTHONPATH=str(ROOT),
    )
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    honcho = Path(sys.executable).parent / "honcho"
    process = subprocess.Popen(
        [str(honcho), "start", "-f", "Procfile"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 90
        server = None
        while time.monotonic() < deadline and server is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                    assert response.status == 200
                    server = response.headers.get("Server", "")
            except OSError:  # not listening yet, or too slow under load
                assert process.poll() is None, process.stdout.read().decode()
                time.sleep(0.3)
        assert server is not None, "make run's server did not answer"
        assert "gunicorn" in server.lower() and "werkzeug" not in server.lower()
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
        output = process.communicate(timeout=30)[0].decode()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
    assert not listening(port)
    assert "web.1" in output and "gevent" in output.lower()  # the Procfile's web line, gevent
