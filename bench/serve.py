"""Serve the app (HTTP and Socket.IO) for the load benchmark, with a chosen server.

    DATABASE_URL=sqlite:////tmp/x.db python bench/serve.py --server gunicorn --port 5055

Servers (all Flask-SocketIO `threading` mode, websockets through simple-websocket):
  werkzeug  `socketio.run(app)`: Werkzeug's threaded development server, what `python wsgi.py` runs.
  gunicorn  gunicorn with one `gthread` worker and many threads (one per open websocket).
  gevent    gunicorn with one `gevent` worker (greenlets; what `make run` and deploy/ use).
Only loopback addresses are accepted. When the gunicorn worker exits it prints the sync
engine's counters as one line `coedit engine stats: {json}` (stored revs, group commits...). Profile it from outside with
`py-spy record --pid <pid>` (py-spy is in the dev extras).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATS_PREFIX = "coedit engine stats: "
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--server", choices=("werkzeug", "gunicorn", "gevent"), default="gunicorn")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=1000, help="gunicorn gthread threads")
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the benchmark server listens on loopback only")
    if args.server == "gevent":  # before the app is imported, as gunicorn does for wsgi:app
        from gevent import monkey

        monkey.patch_all()
    os.environ.setdefault("HOST", args.host)
    os.environ.setdefault("PORT", str(args.port))
    os.environ["PORT"] = str(args.port)
    from app import create_app
    from app.extensions import socketio

    # Every open websocket is a thread here: a pool larger than the default 5 + 10 keeps
    # threads from queueing for a database connection.
    app = create_app(overrides={"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 40}})
    if args.server == "werkzeug":
        socketio.run(
            app,
            host=args.host,
            port=args.port,
            allow_unsafe_werkzeug=True,
            use_reloader=False,
            log_output=False,
        )
        return

    from gunicorn.app.base import BaseApplication

    def print_engine_stats(_server, _worker):
        stats = dict(app.extensions["coedit"].engine.stats)
        print(f"{STATS_PREFIX}{json.dumps(stats, sort_keys=True)}", flush=True)

    class Standalone(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", 1)
            if args.server == "gevent":
                self.cfg.set("worker_class", "gevent")
            else:
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("threads", args.threads)
            self.cfg.set("timeout", 0)  # websockets hold a thread for as long as they are open
            self.cfg.set("keepalive", 75)
            self.cfg.set("accesslog", None)
            self.cfg.set("loglevel", "warning")
            self.cfg.set("worker_connections", args.threads)
            self.cfg.set("worker_exit", print_engine_stats)

        def load(self):
            return app

    Standalone().run()


if __name__ == "__main__":
    main()
