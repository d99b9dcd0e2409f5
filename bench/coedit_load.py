"""Load benchmark of live co-editing (docs/coedit-protocol.md): N editors, M followers, one document.

Every client is the project's own `tests.support.coedit_client.SocketClient` (python-socketio, websocket
transport), `--per-process` clients per load process (default 20, so N=200 runs 10 processes).
Each editor types `--rate` edits a second (default 2): an edit inserts a unique token such as
`~17.42~ ` (editor 17's 42nd edit, 8-10 characters) at a random word boundary of its own
paragraph (`--placement region`, the default: the started document has one paragraph per
editor) or of the whole text (`--placement random`). Followers join anonymously, read only.

Measured, after `--warmup` seconds of typing, for `--duration` seconds:
  * edits/s: tokens typed in the window / window, and stored revs per second;
  * edit-to-peer latency: from the keystroke (token put into the typist's text) until EVERY
    other client's text contains the token; each client notes when it first sees each token
    (scanning only the inserted parts of the server edits it applies, plus the whole text after a
    (re)join); p50/p95/p99/max over tokens typed in the window, and how many never reached all;
  * divergence: after `--quiet` seconds without typing, clients whose text differs from the
    stored text (GET /api/documents/<slug>/live), and tokens typed but missing from it;
  * server CPU (user+system seconds per second over the window, the server's process tree)
    and peak RSS (sampled every 0.2 s), both with psutil;
  * errors by code (refusals, desyncs answered to clients, sync timeouts, connection errors).

Against a server it starts itself (fresh SQLite database in a temporary directory, or a fresh
PostgreSQL database with --database postgresql://..., a document, users in its drafting body and
API tokens, all through the app's services):

    .venv/bin/python bench/coedit_load.py --start-server --server gunicorn -n 50 --duration 30

Against a running server (tokens: one per line in a file, users allowed to edit the document;
--server-pid to measure its CPU and memory):

    .venv/bin/python bench/coedit_load.py --url http://127.0.0.1:5000 --doc best-practice \\
        --tokens tokens.txt -n 10 --server-pid 12345

Loopback only; every process it starts is stopped at the end. `--json FILE` writes the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import json
import multiprocessing as mp
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TOKEN_RE = re.compile(r"~(\d+)\.(\d+)~")
SCAN_MARGIN = 24  # characters around an insertion in which a token may straddle


# --- load processes ---------------------------------------------------------------------------


class Recorder:
    """First sightings of tokens by the clients of one process, aggregated per token."""

    def __init__(self):
        self.lock = threading.Lock()
        self.count: dict[tuple[int, int], int] = {}
        self.latest: dict[tuple[int, int], float] = {}

    def saw(self, key: tuple[int, int], when: float) -> None:
        with self.lock:
            self.count[key] = self.count.get(key, 0) + 1
            if when > self.latest.get(key, 0.0):
                self.latest[key] = when


class Tracked:
    """One benchmark client: a SocketClient and the tokens it has seen."""

    def __init__(
        self,
        cid: int,
        mode: str,
        url: str,
        doc: str,
        lang: str,
        token: str | None,
        recorder: Recorder,
    ):
        from tests.support.coedit_client import SocketClient

        self.cid, self.mode, self.recorder = cid, mode, recorder
        self.seen: set[tuple[int, int]] = set()
        self.seq = 0
        self.client = SocketClient(url, doc, lang, token=token, mode=mode, timeout=20)
        core = self.client.core
        core.on_remote = self._on_remote
        original_join = core.on_join

        def on_join(ack):
            original_join(ack)
            self._scan(core.text, time.time())

        core.on_join = on_join

    def _scan(self, text: str, when: float) -> None:
        for match in TOKEN_RE.finditer(text):
            key = (int(match.group(1)), int(match.group(2)))
            if key[0] != self.cid and key not in self.seen:
                self.seen.add(key)
                self.recorder.saw(key, when)

    def _on_remote(self, diffs, new_shadow: str) -> None:
        when = time.time()
        position = 0
        for op, data in diffs:
            if op == 0:
                position += len(data)
            elif op == 1:
                start = max(0, position - SCAN_MARGIN)
                self._scan(new_shadow[start : position + len(data) + SCAN_MARGIN], when)
                position += len(data)

    def type_one(self, placement: str, rng: random.Random) -> tuple[tuple[int, int], float]:
        """Insert this editor's next token at a word boundary; returns (token key, keystroke time)."""
        client = self.client
        key = (self.cid, self.seq)
        word = f"~{self.cid}.{self.seq}~ "
        self.seq += 1
        with client.lock:
            text = client.core.text
            lo, hi = 0, len(text)
            if placement == "region":
                marker = text.find(f"[r{self.cid}]")
                if marker >= 0:
                    lo = marker + len(f"[r{self.cid}]")
                    end = text.find("\n", lo)
                    hi = len(text) if end < 0 else end
            point = rng.randint(lo, hi)
            space = text.find(" ", point, hi)
            position = hi if space < 0 else space + 1
            if position == hi and (position == 0 or not text[position - 1].isspace()):
                word = " " + word.rstrip()
            when = time.time()
            client.core.edit(text[:position] + word + text[position:])
        client._wake.set()
        return key, when


def _error_code(error: Exception) -> str:
    return getattr(error, "code", None) or type(error).__name__


def load_process(index: int, spec: dict, clients: list, ready, go, start_at, results) -> None:
    """One load process: connect its clients, type on schedule, report what it saw."""
    import logging

    logging.basicConfig(level=logging.WARNING)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    recorder = Recorder()
    tracked: list[Tracked] = []
    errors: Counter = Counter()
    for cid, mode, token in clients:
        item = Tracked(cid, mode, spec["url"], spec["doc"], spec["lang"], token, recorder)
        for attempt in range(5):
            try:
                item.client.connect()
                break
            except Exception as error:  # noqa: BLE001 - counted, retried
                errors[f"connect:{_error_code(error)}"] += 1
                time.sleep(0.5 * (attempt + 1))
                with contextlib.suppress(Exception):
                    item.client.sio.disconnect()
                item = Tracked(cid, mode, spec["url"], spec["doc"], spec["lang"], token, recorder)
        tracked.append(item)
    ready.put(index)
    go.wait()
    t0 = start_at.value
    measure_from = t0 + spec["warmup"]
    stop_at = measure_from + spec["duration"]
    rng = random.Random(spec["seed"] * 1000 + index)
    period = 1.0 / spec["rate"] if spec["rate"] > 0 else None
    sent: dict[tuple[int, int], float] = {}
    typed = 0
    editors = [t for t in tracked if t.mode == "edit"]
    if period and editors:
        queue = [(t0 + rng.random() * period, i) for i in range(len(editors))]
        heapq.heapify(queue)
        while queue:
            due, i = heapq.heappop(queue)
            if due >= stop_at:
                break
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            key, when = editors[i].type_one(spec["placement"], rng)
            typed += 1
            if measure_from <= when < stop_at:
                sent[key] = when
            heapq.heappush(queue, (due + period * rng.uniform(0.8, 1.2), i))
    time.sleep(max(0.0, stop_at + spec["quiet"] - time.time()))
    texts = []
    for t in tracked:
        client = t.client
        with client.lock:
            texts.append(
                {
                    "cid": t.cid,
                    "mode": t.mode,
                    "text": client.core.text,
                    "pending": bool(client.core.outbox) or client.core.text != client.core.shadow,
                }
            )
        for error in client.errors:
            errors[_error_code(error)] += 1
        if client.core.desyncs:
            errors["desync"] += client.core.desyncs
        failures = getattr(client, "sync_failures", 0)
        if failures:
            errors["sync_timeout_or_disconnect"] += failures
    with recorder.lock:
        seen = {f"{k[0]}.{k[1]}": (recorder.count[k], recorder.latest[k]) for k in recorder.count}
    results.put(
        {
            "index": index,
            "sent": {f"{k[0]}.{k[1]}": v for k, v in sent.items()},
            "seen": seen,
            "texts": texts,
            "errors": dict(errors),
            "typed": typed,
        }
    )
    for t in tracked:
        with contextlib.suppress(Exception):  # closing is best effort
            t.client.close()


# --- server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str, editors: int, slug: str) -> list[str]:
    """A fresh schema, a drafting body with `editors` members, their tokens and a document."""
    from app import create_app
    from app.accounts.services import create_api_token, register_user
    from app.bodies.models import MEMBER, Body, Membership
    from app.config import Config
    from app.documents.services import create_document
    from app.extensions import db

    app = create_app(
        Config,
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
            "ARGON2_PARALLELISM": 1,
        },
    )
    tokens = []
    with app.app_context():
        db.drop_all()
        db.create_all()
        body = Body(
            slug="bench-drafting-team",
            name="Benchmark drafting team",
            kind="team",
            team_role="drafting",
            purpose="Types for the load benchmark.",
            is_open=False,
        )
        db.session.add(body)
        db.session.flush()
        groups = ("government", "civil_society", "private_sector", "international_organization")
        for i in range(editors):
            user = register_user(
                email=f"editor{i}@bench.example.org",
                name=f"Editor {i}",
                password="bench-password-0",
                group=groups[i % 4],
                country="KE",
                organization="Benchmark",
            )
            db.session.add(Membership(body_id=body.id, user_id=user.id, role=MEMBER))
            tokens.append(create_api_token(user, "load benchmark")[1])
        paragraphs = ["# Load benchmark draft"]
        paragraphs += [
            f"[r{i}] Paragraph of editor {i}: the text grows as tokens arrive here."
            for i in range(editors)
        ]
        create_document(
            title="Load benchmark draft",
            markdown="\n\n".join(paragraphs),
            owner=body,
            status="open",
            slug=slug,
        )
        db.session.commit()
        db.engine.dispose()
    return tokens


def postgres_fresh(url: str) -> str:
    """Recreate the database named in a PostgreSQL URL; returns the URL."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit("use a plain lower-case PostgreSQL database name")
    admin = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(
        admin.replace("postgresql+psycopg", "postgresql"), autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def start_server(kind: str, database_url: str, port: int, log_path: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="load-benchmark-secret",
        HOST="127.0.0.1",
        PORT=str(port),
        PYTHONPATH=str(ROOT),
    )
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    log = open(log_path, "wb")  # noqa: SIM115 - closed by the caller's process end
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "serve.py"),
            "--server",
            kind,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def live(url: str, doc: str, lang: str) -> dict:
    query = urllib.parse.urlencode({"lang": lang})
    with urllib.request.urlopen(f"{url}/api/documents/{doc}/live?{query}", timeout=30) as response:
        return json.load(response)


def wait_for_server(url: str, doc: str, lang: str, process: subprocess.Popen | None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            live(url, doc, lang)
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise SystemExit("the server process died at start; see its log") from None
            time.sleep(0.2)
    raise SystemExit("the server did not answer within 60 s")


class ServerMeter:
    """CPU seconds and peak RSS of the server's process tree, with psutil."""

    def __init__(self, pid: int | None):
        import psutil

        self.root = psutil.Process(pid) if pid else None
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        if self.root is not None:
            self._thread.start()

    def _tree(self):
        import psutil

        if self.root is None:  # a running server whose pid was not given
            return []
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return []

    def cpu(self) -> float:
        import psutil

        total = 0.0
        for process in self._tree():
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
        return total

    def _sample(self) -> None:
        import psutil

        while not self._stop.wait(0.2):
            rss = 0
            for process in self._tree():
                with contextlib.suppress(psutil.Error):
                    rss += process.memory_info().rss
            self.peak_rss = max(self.peak_rss, rss)

    def stop(self) -> None:
        self._stop.set()


# --- the run -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def engine_stats(log_path: Path) -> dict | None:
    """The counters the started server printed when it stopped (bench/serve.py), if any."""
    if not log_path.exists():
        return None
    prefix = "coedit engine stats: "
    for line in reversed(log_path.read_text(errors="replace").splitlines()):
        if line.startswith(prefix):
            return json.loads(line[len(prefix) :])
    return None


def run(args) -> dict:
    server = None
    summary = None
    tmp = tempfile.TemporaryDirectory(prefix="coedit-bench-")
    url, tokens, server_pid = args.url, [], args.server_pid
    try:
        if args.start_server:
            if args.database and args.database.startswith("postgres"):
                database_url = postgres_fresh(args.database)
            else:
                database_url = f"sqlite:///{tmp.name}/bench.db"
            tokens = prepare_database(database_url, args.editors, args.doc)
            port = args.port or free_port()
            url = f"http://127.0.0.1:{port}"
            server = start_server(args.server, database_url, port, Path(tmp.name) / "server.log")
            server_pid = server.pid
        else:
            if not url or not args.tokens:
                raise SystemExit("give --start-server, or --url and --tokens")
            host = urllib.parse.urlsplit(url).hostname
            if host not in ("127.0.0.1", "localhost", "::1"):
                raise SystemExit("the benchmark runs against loopback servers only")
            tokens = [
                line.strip() for line in Path(args.tokens).read_text().splitlines() if line.strip()
            ]
            if not tokens:
                raise SystemExit("--tokens has no tokens")
        wait_for_server(url, args.doc, args.lang, server)
        meter = ServerMeter(server_pid)

        clients = [(i, "edit", tokens[i % len(tokens)]) for i in range(args.editors)]
        clients += [(args.editors + j, "follow", None) for j in range(args.followers)]
        per = max(1, args.per_process)
        groups = [clients[i : i + per] for i in range(0, len(clients), per)]
        spec = {
            "url": url,
            "doc": args.doc,
            "lang": args.lang,
            "rate": args.rate,
            "warmup": args.warmup,
            "duration": args.duration,
            "quiet": args.quiet,
            "placement": args.placement,
            "seed": args.seed,
        }
        context = mp.get_context("spawn")
        ready, results, go = context.Queue(), context.Queue(), context.Event()
        start_at = context.Value("d", 0.0)
        processes = [
            context.Process(
                target=load_process,
                args=(i, spec, group, ready, go, start_at, results),
                daemon=True,
            )
            for i, group in enumerate(groups)
        ]
        connect_started = time.time()
        for process in processes:
            process.start()
        for _ in processes:
            ready.get(timeout=args.connect_timeout)
        connect_seconds = time.time() - connect_started
        start_at.value = time.time() + 0.5
        go.set()
        measure_from = start_at.value + args.warmup
        stop_at = measure_from + args.duration
        time.sleep(max(0.0, measure_from - time.time()))
        cpu0, rev0, wall0 = meter.cpu(), live(url, args.doc, args.lang)["rev"], time.time()
        spy = None
        if args.py_spy and server_pid:
            spy = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "py-spy"),
                    "record",
                    "--pid",
                    str(server_pid),
                    "--subprocesses",
                    "--nonblocking",
                    "--rate",
                    "50",
                    "--duration",
                    str(int(args.duration)),
                    "--format",
                    "raw",
                    "--output",
                    args.py_spy,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        time.sleep(max(0.0, stop_at - time.time()))
        cpu1, rev1, wall1 = meter.cpu(), live(url, args.doc, args.lang)["rev"], time.time()
        reports = [results.get(timeout=args.quiet + 120) for _ in processes]
        if spy is not None:
            try:
                spy.wait(30)
            except subprocess.TimeoutExpired:
                spy.kill()
                spy.wait(5)
        stored = live(url, args.doc, args.lang)
        meter.stop()
        for process in processes:
            process.join(timeout=15)
            if process.is_alive():
                process.kill()
        summary = summarize(
            args,
            reports,
            stored,
            connect_seconds,
            cpu1 - cpu0,
            wall1 - wall0,
            rev1 - rev0,
            meter.peak_rss if server_pid else None,
        )
        return summary
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(5)
        if summary is not None and server is not None:
            summary["engine_stats"] = engine_stats(Path(tmp.name) / "server.log")
        if args.keep_log and server is not None:
            log = Path(tmp.name) / "server.log"
            if log.exists():
                Path(args.keep_log).write_bytes(log.read_bytes())
        tmp.cleanup()


def summarize(args, reports, stored, connect_seconds, cpu, wall, revs, peak_rss) -> dict:
    sent: dict[str, float] = {}
    seen: dict[str, list] = {}
    errors: Counter = Counter()
    typed = 0
    texts = []
    for report in reports:
        sent.update(report["sent"])
        typed += report["typed"]
        errors.update(report["errors"])
        texts.extend(report["texts"])
        for key, (count, latest) in report["seen"].items():
            entry = seen.setdefault(key, [0, 0.0])
            entry[0] += count
            entry[1] = max(entry[1], latest)
    peers = args.editors + args.followers - 1
    latencies, incomplete = [], 0
    for key, when in sent.items():
        count, latest = seen.get(key, (0, 0.0))
        if count >= peers:
            latencies.append((latest - when) * 1000)
        else:
            incomplete += 1
    final = stored["text"]
    diverged = sum(1 for t in texts if t["text"] != final)
    missing = sum(1 for key in sent if f"~{key}~" not in final)
    ms = lambda q: None if not latencies else round(percentile(latencies, q), 1)  # noqa: E731
    return {
        "editors": args.editors,
        "followers": args.followers,
        "rate": args.rate,
        "load_processes": -(-(args.editors + args.followers) // max(1, args.per_process)),
        "server": args.server if args.start_server else args.url,
        "duration_s": round(wall, 2),
        "connect_s": round(connect_seconds, 1),
        "edits_typed_per_s": round(len(sent) / wall, 1) if wall else None,
        "revs_stored_per_s": round(revs / wall, 1) if wall else None,
        "edits_typed_total": typed,
        "latency_ms": {
            "p50": ms(50),
            "p95": ms(95),
            "p99": ms(99),
            "max": round(max(latencies), 1) if latencies else None,
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
        },
        "tokens_measured": len(sent),
        "tokens_not_seen_by_all": incomplete,
        "tokens_missing_from_stored_text": missing,
        "diverged_clients": diverged,
        "clients": len(texts),
        "stored_rev": stored["rev"],
        "stored_chars": len(final),
        "server_cpu_per_s": round(cpu / wall, 2) if peak_rss is not None and wall else None,
        "server_peak_rss_mb": round(peak_rss / 2**20, 1) if peak_rss else None,
        "errors": dict(errors),
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", "--editors", type=int, default=10)
    parser.add_argument("-m", "--followers", type=int, default=0)
    parser.add_argument("--rate", type=float, default=2.0, help="edits per second per editor")
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds")
    parser.add_argument(
        "--warmup", type=float, default=5.0, help="seconds of typing before measuring"
    )
    parser.add_argument(
        "--quiet", type=float, default=5.0, help="seconds without typing before the check"
    )
    parser.add_argument("--per-process", type=int, default=20, help="clients per load process")
    parser.add_argument("--placement", choices=("region", "random"), default="region")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--start-server", action="store_true", help="start a server on a fresh database"
    )
    parser.add_argument("--server", choices=("gunicorn", "gevent", "werkzeug"), default="gunicorn")
    parser.add_argument("--database", help="postgresql://... to recreate and use instead of SQLite")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--url", help="a running server (loopback), with --tokens")
    parser.add_argument("--tokens", help="file of API tokens, one per line, of users who may edit")
    parser.add_argument("--server-pid", type=int, help="the running server's pid (CPU, memory)")
    parser.add_argument("--doc", default="load-benchmark")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--connect-timeout", type=float, default=300.0)
    parser.add_argument("--keep-log", help="copy the started server's log here")
    parser.add_argument(
        "--py-spy", help="profile the server with py-spy over the window (raw stacks)"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = run(args)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
