"""The scale-out topology as deployed: nginx (deploy/'s template) in front of two gunicorn
processes sharing PostgreSQL and the Redis queue; co-editing through it, clients on both."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from app.coedit.client import SocketClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import nginx_config  # noqa: E402 - deploy/ is not a package

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]
SLUG = "declaration"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    if os.environ.get("REQUIRE_POSTGRES") == "1" or os.environ.get("CI"):
        pytest.fail(
            "nginx is not installed (Debian package nginx), and CI makes this test mandatory"
        )
    pytest.skip("nginx is not installed (Debian package nginx)")


def wait_until_up(url: str, process: subprocess.Popen, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:  # it answers (the document may not exist yet)
            return
        except OSError:
            assert process.poll() is None, f"{what} died at start"
            time.sleep(0.2)
    raise AssertionError(f"{what} did not start")


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture
def database_uri():
    """A PostgreSQL database of its own, its schema made by `flask db upgrade` as in deploy."""
    import psycopg

    base = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/agora"
    server = re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql://", base).rsplit("/", 1)[0]
    name = f"agora_topology_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{server}/{name}"
    try:
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="topology-test")
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield url.replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Topology:
    """nginx on a free port in front of two app processes (gunicorn.conf.py), all on loopback."""

    def __init__(self, tmp: Path, database_url: str):
        self.tmp, self.database_url = tmp, database_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app_ports = [free_port(), free_port()]
        self.apps: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None
        self.access_log = tmp / "nginx" / "access.log"

    def start(self) -> "Topology":
        channel = f"agora-topology-{uuid.uuid4().hex[:8]}"
        for port in self.app_ports:
            env = dict(
                os.environ,
                HOST="127.0.0.1",
                PORT=str(port),
                DATABASE_URL=self.database_url.replace("+psycopg", ""),
                SECRET_KEY="topology-test-secret",
                SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:6379/0",
                SOCKETIO_CHANNEL=channel,
                SITE_ORIGIN=self.url,
                PROXY_COUNT="1",
                PYTHONPATH=str(ROOT),
            )
            log = open(self.tmp / f"app-{port}.log", "wb")  # noqa: SIM115 - the process keeps it
            self.apps.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        for port, process in zip(self.app_ports, self.apps, strict=True):
            wait_until_up(f"http://127.0.0.1:{port}/api/documents/{SLUG}/live", process, "app")
        prefix = self.tmp / "nginx"
        prefix.mkdir()
        site = prefix / "agora.conf"
        site.write_text(
            nginx_config.render(
                [f"127.0.0.1:{port}" for port in self.app_ports],
                listen=f"127.0.0.1:{self.port}",
                server_name="localhost",
                access_log=str(self.access_log),
            )
        )
        conf = prefix / "nginx.conf"
        user = "root root" if os.geteuid() == 0 else None  # workers must read the temp prefix
        conf.write_text(nginx_config.main_config(prefix, site, user=user))
        self.nginx = subprocess.Popen(
            [nginx_binary(), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=open(prefix / "stderr.log", "wb"),  # noqa: SIM115
        )
        wait_until_up(f"{self.url}/api/documents/{SLUG}/live", self.nginx, "nginx")
        return self

    def stop(self) -> None:
        stop(self.nginx)
        for process in self.apps:
            stop(process)

    def upstream_of(self, route: str) -> str:
        """The app process nginx sends a client with this route cookie to (from its access log)."""
        before = self.access_log.read_text() if self.access_log.exists() else ""
        request = urllib.request.Request(
            f"{self.url}/api/documents/{SLUG}/live?probe={route}",
            headers={"Cookie": f"agora_route={route}"},
        )
        with urllib.request.urlopen(request, timeout=10):
            pass
        for _ in range(50):
            lines = self.access_log.read_text()[len(before) :].splitlines()
            for line in lines:
                if f"probe={route}" in line:
                    return line.rsplit("upstream=", 1)[1].strip()
            time.sleep(0.05)
        raise AssertionError("no access log line for the probe")

    def stored_text(self) -> str:
        with urllib.request.urlopen(f"{self.url}/api/documents/{SLUG}/live", timeout=10) as r:
            return json.loads(r.read())["text"]


@pytest.fixture
def topology(app, database_uri, tmp_path):
    topology = Topology(tmp_path, database_uri)
    try:
        yield topology.start()
    finally:
        topology.stop()


def converge(clients, topology, timeout=30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for client in clients:
            client.sync()
        text = topology.stored_text()
        if all(c.text == text and c.core.shadow == text and not c.core.outbox for c in clients):
            return text
        time.sleep(0.2)
    raise AssertionError(f"no convergence: {[c.text for c in clients]!r}")


def test_co_editing_through_nginx_across_two_processes(
    make_user, make_body, make_document, make_token, topology
):
    members = [make_user(group="government"), make_user(group="civil_society")]
    body = make_body("Drafting team", members=members)
    make_document(owner=body, slug=SLUG)
    tokens = [make_token(user) for user in members]

    routes: dict[str, str] = {}  # upstream address -> a route cookie that lands there
    for k in range(64):
        routes.setdefault(topology.upstream_of(f"r{k}"), f"r{k}")
        if len(routes) == 2:
            break
    assert sorted(routes) == sorted(f"127.0.0.1:{p}" for p in topology.app_ports), routes
    on_a, on_b = (routes[f"127.0.0.1:{p}"] for p in topology.app_ports)
    assert topology.upstream_of(on_a) == f"127.0.0.1:{topology.app_ports[0]}"  # sticky

    def client(route, token=None, mode="edit"):
        return SocketClient(
            topology.url,
            SLUG,
            "en",
            token=token,
            mode=mode,
            headers={"Cookie": f"agora_route={route}"},
        )

    a, b = client(on_a, tokens[0]), client(on_b, tokens[1])
    follower = client(on_b, mode="follow")
    clients = [a, b, follower]
    try:
        for c in clients:
            c.connect()
        a.insert(0, "<typed on process A>")
        a.sync()
        # the follower on process B sees it through the Redis queue, without syncing by hand
        assert follower.wait_for(lambda text: "<typed on process A>" in text, timeout=15)
        assert b.wait_for(lambda text: "<typed on process A>" in text, timeout=15)
        b.insert(len(b.text), "<typed on process B>")
        b.sync()
        assert a.wait_for(lambda text: "<typed on process B>" in text, timeout=15)
        for k in range(8):
            a.insert(0, f"[a{k}]")  # never inside another marker
            b.insert(len(b.text), f"[b{k}]")
            if k % 3 == 0:
                a.sync()
        text = converge(clients, topology)
        assert all(f"[a{k}]" in text and f"[b{k}]" in text for k in range(8))
        assert "<typed on process A>" in text and "<typed on process B>" in text
        assert a.text == b.text == follower.text == text
    finally:
        for c in clients:
            c.close()
    # every websocket went through nginx, to the process its route cookie names
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        sockets = [
            line for line in topology.access_log.read_text().splitlines() if "/socket.io/" in line
        ]
        if len(sockets) >= 3:
            break
        time.sleep(0.2)
    used = {line.rsplit("upstream=", 1)[1].strip() for line in sockets}
    assert used == {f"127.0.0.1:{p}" for p in topology.app_ports}, sockets
