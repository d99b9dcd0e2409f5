"""The deployed topology on loopback: nginx (this directory's template) in front of N app
processes (gunicorn.conf.py) sharing one database and the Redis queue.

Used by the scale-out test (tests/deploy/) and benchmark (bench/scaleout.py). nginx runs in
the foreground with its own prefix, pid, logs and temporary files under a given directory, on
free ports; nothing touches the system's nginx.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import nginx_config

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
    )


def wait_until_up(url: str, process: subprocess.Popen, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:  # it answers (a 404 is an answer)
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{what} died at start") from None
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not start within {timeout} s")


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


class Topology:
    """nginx on a free port in front of `processes` app processes, all on loopback."""

    def __init__(
        self,
        workdir: Path,
        database_url: str,
        *,
        processes: int = 2,
        queue: str = "redis://127.0.0.1:6379/0",
        env: dict | None = None,
    ):
        self.workdir, self.database_url, self.queue = Path(workdir), database_url, queue
        self.extra_env = env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app_ports = [free_port() for _ in range(processes)]
        self.apps: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None
        self.prefix = self.workdir / "nginx"
        self.access_log = self.prefix / "access.log"

    @property
    def upstreams(self) -> list[str]:
        return [f"127.0.0.1:{port}" for port in self.app_ports]

    def start(self) -> Topology:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (Debian package nginx)")
        channel = f"agora-topology-{uuid.uuid4().hex[:8]}"  # pub/sub ignores the db number
        for port in self.app_ports:
            env = dict(
                os.environ,
                HOST="127.0.0.1",
                PORT=str(port),
                DATABASE_URL=self.database_url,
                SOCKETIO_MESSAGE_QUEUE=self.queue,
                SOCKETIO_CHANNEL=channel,
                SITE_ORIGIN=self.url,
                PROXY_COUNT="1",
                PYTHONPATH=str(ROOT),
            )
            env.setdefault("SECRET_KEY", "local-topology-secret")
            env.update(self.extra_env)
            log = open(self.workdir / f"app-{port}.log", "wb")  # noqa: SIM115 - the child keeps it
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
            wait_until_up(f"http://127.0.0.1:{port}/api/openapi.json", process, "app process")
        self.prefix.mkdir(parents=True, exist_ok=True)
        site = self.prefix / "agora.conf"
        brotli = nginx_config.brotli_available()  # gzip only without Debian's brotli modules
        site.write_text(
            nginx_config.render(
                self.upstreams,
                listen=f"127.0.0.1:{self.port}",
                server_name="localhost",
                access_log=str(self.access_log),
                brotli=brotli,
            )
        )
        conf = self.prefix / "nginx.conf"
        user = "root root" if os.geteuid() == 0 else None  # workers read the private prefix
        conf.write_text(nginx_config.main_config(self.prefix, site, user=user, brotli=brotli))
        self.nginx = subprocess.Popen(
            [binary, "-p", str(self.prefix), "-c", str(conf), "-e", str(self.prefix / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=open(self.prefix / "stderr.log", "wb"),  # noqa: SIM115
        )
        wait_until_up(f"{self.url}/api/openapi.json", self.nginx, "nginx")
        return self

    def stop(self) -> None:
        stop(self.nginx)
        for process in self.apps:
            stop(process)

    def __enter__(self) -> Topology:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    def upstream_of(self, route: str, path: str = "/api/openapi.json") -> str:
        """The app process nginx sends a client with this route cookie to (its access log)."""
        before = self.access_log.read_text() if self.access_log.exists() else ""
        request = urllib.request.Request(
            f"{self.url}{path}?probe={route}", headers={"Cookie": f"agora_route={route}"}
        )
        with urllib.request.urlopen(request, timeout=10):
            pass
        for _ in range(100):
            for line in self.access_log.read_text()[len(before) :].splitlines():
                if f"probe={route}" in line:
                    return line.rsplit("upstream=", 1)[1].strip()
            time.sleep(0.05)
        raise RuntimeError("no access log line for the probe")

    def routes(self, tries: int = 64) -> dict[str, str]:
        """One route cookie value per app process: {upstream address: route}."""
        found: dict[str, str] = {}
        for k in range(tries):
            found.setdefault(self.upstream_of(f"r{k}"), f"r{k}")
            if len(found) == len(self.app_ports):
                break
        return found
