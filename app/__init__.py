"""Application factory: extensions are bound here, never at import time."""

import importlib
import logging
from pathlib import Path

from flask import Flask

from app.config import INSTANCE_DIR, Config
from app.core import assets, conditional, templating
from app.core.websockets import WithoutWebsocketCompression
from app.extensions import compress, csrf, db, login_manager, migrate, socketio
from app.security.jsonsafe import SocketJSON

ROOT = Path(__file__).resolve().parent.parent

# Each domain package exposes `bp` (its blueprint) and may expose `init_app(app)`.
DOMAINS = (
    "main",
    "accounts",
    "bodies",
    "documents",
    "amendments",
    "coedit",
    "translations",
    "discussion",
    "i18n",
    "moderation",
    "audit",
    "exports",
    "balance",
    "search",
    "mail",
    "notifications",
    "activity",
    "api",
    "security",  # last: its rate limits name the other domains' endpoints
)


def create_app(config: type[Config] = Config, overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.from_mapping(config.load())
    if overrides:
        app.config.update(overrides)
    _configure_logging(app)
    _init_extensions(app)
    _register_domains(app)
    _register_template_helpers(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind nginx, see the client's address and scheme (rate limits, links, secure cookies)."""
    count = app.config.get("PROXY_COUNT") or 0
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )


def _init_extensions(app: Flask) -> None:
    importlib.import_module("app.core.database")  # SQLite pragmas
    importlib.import_module("app.models")  # every table known to metadata

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    # Hooks after a response run in reverse order: the security headers (a domain's, added
    # later) first, then the ETag on the plain body, then compression.
    compress.init_app(app)
    conditional.init_app(app)
    assets.init_app(app)
    limits = max(app.config["COEDIT_MAX_TEXT"], app.config["COEDIT_MAX_DELTA"]) * 2 + 65536
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        # The Origin check of browser connections is done on connect against SITE_ORIGIN.
        cors_allowed_origins="*",
        max_http_buffer_size=limits,
        manage_session=False,
        json=SocketJSON,  # deeply nested payloads are refused, not dropped with a traceback
    )
    app.wsgi_app = WithoutWebsocketCompression(app.wsgi_app)  # outside Socket.IO's middleware


def _register_domains(app: Flask) -> None:
    for name in DOMAINS:
        module = importlib.import_module(f"app.{name}")
        app.register_blueprint(module.bp)
        if hasattr(module, "init_app"):
            module.init_app(app)


def _register_template_helpers(app: Flask) -> None:
    templating.init_app(app)
