"""Deeply nested JSON answers 400 (HTTP and sockets); the Markdown preview is bounded."""

import pytest

from app.coedit import routes as coedit_routes
from app.core import markdown
from app.extensions import socketio
from app.security.jsonsafe import MAX_DEPTH, loads, nesting_depth_exceeds
from tests.support.coedit_client import NAMESPACE

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def document(make_document):
    return make_document(slug="declaration")


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/documents"),
        ("patch", "/api/documents/declaration"),
        ("post", "/api/documents/declaration/amendments"),
        ("put", "/api/amendments/1/position"),
        ("post", "/api/amendments/1/accept"),
        ("post", "/documents/declaration/live/preview"),
    ],
)
def test_nested_json_is_a_bad_request(client, document, make_user, make_token, method, path):
    headers = {"Authorization": f"Bearer {make_token(make_user(admin=True))}"}
    for body in (DEEP, '{"a":' * 100_000 + "1" + "}" * 100_000):
        response = getattr(client, method)(
            path, data=body, content_type="application/json", headers=headers
        )
        assert response.status_code in (400, 404), response.status_code
        if path.startswith("/api/") and response.status_code == 400:
            assert response.get_json()["error"]["code"] == "bad_request"


def test_depth_check_ignores_brackets_inside_strings():
    assert not nesting_depth_exceeds('["' + "[" * 1000 + '"]')
    assert not nesting_depth_exceeds("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert nesting_depth_exceeds("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert loads('{"a": ["[[[", {"b": "]]"}]}') == {"a": ["[[[", {"b": "]]"}]}
    with pytest.raises(ValueError):
        loads(DEEP)


@pytest.mark.parametrize("event", ["join", "sync", "leave"])
def test_nested_socket_payload_is_answered_bad_request(app, document, event):
    sock = socketio.test_client(app, namespace=NAMESPACE)
    try:
        # The test client would have to encode it (and fail): hand the server the raw packet.
        acks = []
        server = socketio.server
        sid = sock.eio_sid
        original = server._send_packet

        def capture(eio_sid, pkt):
            if pkt.packet_type == 3:  # ACK
                acks.append(pkt.data)
            return original(eio_sid, pkt)

        server._send_packet = capture
        try:
            server._handle_eio_message(sid, f'2{NAMESPACE},7["{event}",{DEEP}]')
        finally:
            server._send_packet = original
        assert acks and acks[0][0]["ok"] is False
        assert acks[0][0]["error"]["code"] == "bad_request"
        assert sock.is_connected(NAMESPACE)
    finally:
        sock.disconnect(NAMESPACE)


def test_anonymous_preview_is_capped_in_size(app, client, document):
    app.config["PREVIEW_MAX_TEXT_ANONYMOUS"] = 1000
    url = "/documents/declaration/live/preview"
    assert client.post(url, json={"text": "x" * 1000}).status_code == 200
    refused = client.post(url, json={"text": "x" * 1001})
    assert refused.status_code == 413 and b"at most 1000" in refused.data


def test_editors_may_preview_a_whole_draft(app, client, login, make_user, make_body, make_document):
    member = make_user()
    body = make_body("Drafting team", members=[member])
    make_document(owner=body, slug="team-draft")
    app.config["PREVIEW_MAX_TEXT_ANONYMOUS"] = 1000
    login(client, member)
    response = client.post("/documents/team-draft/live/preview", json={"text": "x" * 5000})
    assert response.status_code == 200


def test_long_paragraphs_and_text_past_the_budget_are_not_parsed(client, document, monkeypatch):
    rendered = []
    real = markdown.render_markdown
    monkeypatch.setattr(markdown, "render_markdown", lambda t: rendered.append(t) or real(t))
    pathological = "*a **" * (coedit_routes.PREVIEW_MAX_PARAGRAPH // 5 + 1)
    response = client.post(
        "/documents/declaration/live/preview",
        json={"text": f"*short*\n\n{pathological}\n\n<b>x</b>"},
    )
    html = response.get_json()["html"]
    assert rendered == ["*short*", "<b>x</b>"]
    assert "<em>short</em>" in html
    assert '<p class="unrendered">*a **' in html and "<b>" not in html


def test_time_budget_stops_rendering(app, client, document, monkeypatch):
    app.config["PREVIEW_TIME_BUDGET"] = 0
    rendered = []
    monkeypatch.setattr(markdown, "render_markdown", lambda t: rendered.append(t) or t)
    paragraphs = "\n\n".join(f"*p{n}*" for n in range(50))
    html = client.post("/documents/declaration/live/preview", json={"text": paragraphs})
    assert len(rendered) <= 1
    assert html.get_json()["html"].count('class="unrendered"') >= 49


def test_block_splitting_does_not_parse_inline():
    tokens = markdown.parse_blocks("*a **" * 50_000)
    assert all(not token.children for token in tokens)
