"""Websocket upgrades are answered without per-message compression, whatever the client offers."""

import base64
import os
import socket
from urllib.parse import urlsplit

from app.core.websockets import WithoutWebsocketCompression

OFFER = "permessage-deflate; client_max_window_bits"


def handshake(url: str, extensions: str | None) -> str:
    """The raw HTTP answer to a Socket.IO websocket upgrade."""
    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
        f"Host: {parts.netloc}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ]
    if extensions:
        lines.append(f"Sec-WebSocket-Extensions: {extensions}")
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n\r\n")[0].decode("latin-1")


def test_a_deflate_offer_is_declined(live_server):
    answer = handshake(live_server, OFFER)
    assert answer.startswith("HTTP/1.1 101")
    assert "sec-websocket-extensions" not in answer.lower()
    assert "sec-websocket-accept" in answer.lower()


def test_the_middleware_removes_the_offer_only_from_websocket_upgrades():
    seen = []
    app = WithoutWebsocketCompression(lambda environ, start: seen.append(dict(environ)) or [])
    app({"HTTP_UPGRADE": "websocket", "HTTP_SEC_WEBSOCKET_EXTENSIONS": OFFER}, None)
    app({"HTTP_SEC_WEBSOCKET_EXTENSIONS": OFFER}, None)  # not an upgrade: untouched
    assert "HTTP_SEC_WEBSOCKET_EXTENSIONS" not in seen[0]
    assert seen[1]["HTTP_SEC_WEBSOCKET_EXTENSIONS"] == OFFER
