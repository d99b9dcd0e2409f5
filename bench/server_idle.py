"""Many Socket.IO clients connect, sync and disconnect: how the server copes, and how soon it idles.

    .venv/bin/python bench/server_idle.py --server gevent -n 1000
    .venv/bin/python bench/server_idle.py --server gunicorn -n 1000    # gthread, 1000 threads

Starts `bench/serve.py --server KIND` on a fresh SQLite database (one document), then
`--per-process` clients per load process (the project's Python client, tests/support/coedit_client.py,
websocket transport, anonymous followers): each connects, joins, syncs once and holds its
connection; once all are connected, all of them sync once more and disconnect together. Clients spread over `--rooms` documents: every
join and leave sends the room's presence to the whole room, so one room of 1,000 costs the
server O(N^2) messages whatever it runs on. Reported:
time to connect them all, the time for the round of syncs, the server's threads and RSS while
they are connected, and after the disconnect its CPU (user+system s/s of its process tree) in
1 s windows for `--after` seconds from the moment every client process has disconnected and
exited (the time that took and the server's CPU meanwhile are reported too), and the time until
it stayed under 2 % for 3 s ("idle").
Loopback only; the server and the load processes are stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from coedit_load import (  # noqa: E402 - after the path is set
    ServerMeter,
    free_port,
    prepare_database,
    start_server,
    wait_for_server,
)

SLUG = "idle-bench"


def add_documents(database: str, rooms: int) -> None:
    """Documents idle-bench-1.. beside the first one, so that clients spread over rooms."""
    from app import create_app
    from app.config import Config
    from app.documents.services import create_document
    from app.extensions import db

    app = create_app(Config, {"SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        for k in range(1, rooms):
            create_document(
                title=f"Idle bench {k}", markdown=f"# Idle bench {k}\n\nText.", slug=f"{SLUG}-{k}"
            )
        db.session.commit()
        db.engine.dispose()


def load_process(url: str, first: int, count: int, rooms: int, ready, synced, go, done) -> None:
    import logging

    from tests.support.coedit_client import SocketClient

    logging.basicConfig(level=logging.ERROR)
    clients, failed = [], 0
    for k in range(first, first + count):
        slug = SLUG if k % rooms == 0 else f"{SLUG}-{k % rooms}"
        client = SocketClient(url, slug, "en", mode="follow", timeout=60)
        try:
            client.connect()
            clients.append(client)
        except Exception:  # noqa: BLE001 - counted
            failed += 1
    ready.put(failed)
    go.wait()
    ok = sum(client.sync() for client in clients)
    synced.put(ok)
    done.wait()
    for client in clients:
        with contextlib.suppress(Exception):
            client.sio.disconnect()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--server", choices=("gunicorn", "gevent", "werkzeug"), default="gevent")
    parser.add_argument("-n", "--clients", type=int, default=1000)
    parser.add_argument("--per-process", type=int, default=100)
    parser.add_argument("--after", type=float, default=60.0)
    parser.add_argument(
        "--rooms",
        type=int,
        default=50,
        help="documents the clients spread over (every join and leave sends presence to its room)",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    import os

    import psutil

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{tmp}/idle.db"
        prepare_database(database, 1, SLUG)
        add_documents(database, args.rooms)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(args.server, database, port, Path(tmp) / "server.log")
        try:
            wait_for_server(url, SLUG, "en", server)
            meter = ServerMeter(server.pid)
            worker = psutil.Process(server.pid)

            def threads() -> int:
                return sum(p.num_threads() for p in [worker, *worker.children(recursive=True)])

            idle_threads = threads()
            ctx = mp.get_context("spawn")
            ready, synced = ctx.Queue(), ctx.Queue()
            go, done = ctx.Event(), ctx.Event()
            sizes = [args.per_process] * (args.clients // args.per_process)
            if args.clients % args.per_process:
                sizes.append(args.clients % args.per_process)
            started = time.monotonic()
            processes = [
                ctx.Process(
                    target=load_process,
                    args=(url, sum(sizes[:i]), size, args.rooms, ready, synced, go, done),
                )
                for i, size in enumerate(sizes)
            ]
            for process in processes:
                process.start()
            failed = sum(ready.get(timeout=900) for _ in processes)
            connect_seconds = time.monotonic() - started
            connected_threads = threads()
            connected_rss = meter.peak_rss / 2**20
            started = time.monotonic()
            go.set()
            synced_ok = sum(synced.get(timeout=600) for _ in processes)
            sync_seconds = time.monotonic() - started
            cpu_before = meter.cpu()
            done.set()
            leaving = time.monotonic()
            for process in processes:
                process.join(120)
            gone = time.monotonic()
            disconnect_seconds = gone - leaving
            cpu_during_disconnect = meter.cpu() - cpu_before
            windows, thread_counts = [], []
            last = meter.cpu()
            idle_after = None
            while time.monotonic() - gone < args.after:
                time.sleep(1.0)
                now = meter.cpu()
                windows.append(round(now - last, 3))
                thread_counts.append(threads())
                last = now
                quiet = len(windows) >= 3 and all(w < 0.02 for w in windows[-3:])
                if quiet and idle_after is None:
                    idle_after = round(time.monotonic() - gone - 3, 1)
            meter.stop()
            result = {
                "server": args.server,
                "clients": args.clients,
                "rooms": args.rooms,
                "connect_failures": failed,
                "connect_seconds": round(connect_seconds, 1),
                "round_of_syncs_seconds": round(sync_seconds, 2),
                "syncs_ok": synced_ok,
                "threads_idle_before": idle_threads,
                "threads_connected": connected_threads,
                "rss_connected_mb": round(connected_rss, 1),
                "cpu_during_connect_and_sync_s": round(cpu_before, 1),
                "disconnect_seconds": round(disconnect_seconds, 1),
                "cpu_during_disconnect_s": round(cpu_during_disconnect, 2),
                "idle_after_disconnect_s": idle_after,
                "cpu_per_second_after_disconnect": windows,
                "threads_after_disconnect": thread_counts,
                "load_average_before": load_before,
            }
        finally:
            server.terminate()
            with contextlib.suppress(Exception):
                server.wait(20)
            if server.poll() is None:
                server.kill()
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
