"""gunicorn settings of every server process: `make run` (Procfile), deploy/'s systemd units, tests.

One gevent worker per process: each open websocket is a greenlet, not a thread, so a thousand
followers cost little memory and nothing once they leave (docs/benchmarks.md, "Choice of
server"). Co-editing state lives in the process a client is connected to: scale out with more
processes behind nginx's sticky sessions and the Redis queue (deploy/, docs/deploy.md), never
with several workers in one process.
"""

import os

wsgi_app = "wsgi:app"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = 1
worker_class = "gevent"
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "10000"))
# Websockets stay open for hours; Ctrl-C and `systemctl stop` should not wait for them long.
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", "5"))
keepalive = 75
accesslog = os.environ.get("ACCESS_LOG") or None
loglevel = os.environ.get("LOG_LEVEL", "info")
# nginx in front (deploy/) sends X-Forwarded-* from loopback only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn >= 25's control socket has one default path per user: several processes on a host
# (deploy/, the tests) would share it. Nothing here uses it.
control_socket_disable = True
