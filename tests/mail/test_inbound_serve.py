"""`flask mail serve` as a process: it takes list mail over SMTP and stops cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_lists_support import counts, free_port, mail, send, verify

ROOT = Path(__file__).resolve().parents[2]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise AssertionError(f"flask mail serve exited: {process.communicate()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("flask mail serve did not start listening")


@pytest.mark.slow
def test_flask_mail_serve_posts_a_mailed_thread(app, database_uri, tmp_path, make_user, make_body):
    ana = verify(make_user(email="ana@example.org"))
    make_body("Caucus A", kind="caucus", team_role=None, members=[ana], slug="caucus-a")
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        INSTANCE_PATH=str(tmp_path / "instance"),
        SECRET_KEY="serve-test",
        LIST_DOMAIN="lists.localhost",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "mail", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port, process)
        send(port, mail(sender="ana@example.org", to="caucus-a@lists.localhost"))
        assert counts()[:2] == (1, 1)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Receiving list mail for @lists.localhost" in out
