"""The scale-out topology as deployed: nginx (deploy/'s template) in front of two gunicorn
processes sharing PostgreSQL and the Redis queue; co-editing through it, clients on both."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.support.coedit_client import SocketClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import local_topology  # noqa: E402 - deploy/ is not a package

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]
SLUG = "declaration"


def require_nginx() -> None:
    if local_topology.nginx_binary():
        return
    if os.environ.get("REQUIRE_POSTGRES") == "1" or os.environ.get("CI"):
        pytest.fail(
            "nginx is not installed (Debian package nginx), and CI makes this test mandatory"
        )
    pytest.skip("nginx is not installed (Debian package nginx)")


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


@pytest.fixture
def topology(app, database_uri, tmp_path):
    require_nginx()
    topology = local_topology.Topology(
        tmp_path, database_uri.replace("+psycopg", ""), env={"SECRET_KEY": "topology-test"}
    )
    with topology:
        yield topology


def stored_text(topology) -> str:
    with urllib.request.urlopen(f"{topology.url}/api/documents/{SLUG}/live", timeout=10) as r:
        return json.loads(r.read())["text"]


def converge(clients, topology, timeout=30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for client in clients:
            client.sync()
        text = stored_text(topology)
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

    routes = topology.routes()  # upstream address -> a route cookie that lands there
    assert sorted(routes) == sorted(topology.upstreams), routes
    on_a, on_b = (routes[upstream] for upstream in topology.upstreams)
    for _ in range(3):  # sticky: the same cookie, the same process
        assert topology.upstream_of(on_a) == topology.upstreams[0]
        assert topology.upstream_of(on_b) == topology.upstreams[1]

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
    assert used == set(topology.upstreams), sockets


def _get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_nginx_compresses_and_caches_static_files(make_document, topology):
    """Pages and bundles reach the reader compressed; hashed bundles are cached for a year."""
    make_document(slug=SLUG)
    status, headers, body = _get(f"{topology.url}/documents/{SLUG}", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    etag = headers["ETag"]
    assert _get(f"{topology.url}/documents/{SLUG}", **{"If-None-Match": etag})[0] == 304

    manifest = ROOT / "app" / "static" / "dist" / "manifest.json"
    if not manifest.exists():
        pytest.skip("assets not built (npm run build)")
    bundle = json.loads(manifest.read_text())["coedit.js"]
    url = f"{topology.url}/static/dist/{bundle}"
    status, headers, body = _get(url, **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert _get(f"{topology.url}/static/dist/manifest.json")[0] == 404
    status, headers, _ = _get(f"{topology.url}/static/css/site.css")
    assert status == 200 and "immutable" not in headers["Cache-Control"]
