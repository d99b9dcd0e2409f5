"""Refusals on /coedit carry their code unchanged and a message in the socket user's language."""

from app.coedit.events.messages import localized
from app.extensions import db


def test_a_refused_join_is_explained_in_the_users_language(team, sockets):
    outsider = team["outsider"]
    outsider.ui_language = "fr"
    db.session.commit()
    sock = sockets(outsider)
    ack = sock.call("join", {"doc": "declaration", "lang": "en", "mode": "edit"})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    assert ack["error"]["message"].startswith("Seuls l’équipe de rédaction")


def test_an_anonymous_socket_follows_its_browsers_language(team, sockets):
    sock = sockets(headers={"Accept-Language": "ru"})
    ack = sock.call("join", {"doc": "declaration", "lang": "en", "mode": "bogus"})
    assert ack["error"] == {"code": "bad_request", "message": "`mode` — edit или follow."}


def test_engine_messages_with_values_keep_their_values(app):
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert localized("A delta has at most 10000 characters.") == (
            "Un delta tiene como máximo 10000 caracteres."
        )
        assert localized("`doc` must be a non-negative integer.") == (
            "`doc` debe ser un entero no negativo."
        )
        # A message the catalogs do not know is passed on as it is.
        assert localized("Something new.") == "Something new."
