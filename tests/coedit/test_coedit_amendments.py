"""An accepted amendment reaches open editors through the real accept, without losing typing."""

import logging

from sqlalchemy import select

from app.amendments.services import accept_amendment, propose_amendment
from app.coedit.models import EditLog, LiveText
from app.extensions import db

AMENDED = "Every version of the text is public, searchable and kept forever."
REPLACED = "Nothing here resembles the paragraph that the amendment was written against."


def stored():
    db.session.expire_all()
    return db.session.execute(select(LiveText.text, LiveText.rev)).one()


def accept(team, index, text):
    """Propose (by the second member) and accept (by the admin) a modification of a paragraph."""
    document = team["document"]
    key = document.current_version.paragraphs[index].key
    amendment = propose_amendment(
        document,
        team["other_member"],
        kind="modify",
        paragraph=key,
        text=text,
        rationale="Say that it can be found.",
    )
    db.session.commit()
    result = accept_amendment(amendment, team["admin"], "As agreed in the drafting group.")
    db.session.commit()
    assert result.version is not None, result.conflict
    return result.version


def test_accepted_amendment_meets_unsynced_typing(app, team, sockets):
    sock = sockets(team["member"])
    core = sock.core()
    core.edit(core.text.replace("# Sample declaration", "# Sample declaration (draft)"))
    assert sock.sync(core)["ok"]
    sock.events()
    # the editor keeps typing and has not synced when the amendment is accepted
    core.edit(core.text.replace("as equals.", "as equals, in every region."))
    core.edit(core.text + "\n\nA closing paragraph typed live 😀.")
    version = accept(team, 2, AMENDED)
    text, rev = stored()
    assert AMENDED in text and "(draft)" in text and "in every region" not in text
    assert rev == 2
    entry = db.session.scalar(select(EditLog).where(EditLog.rev == 2))
    assert entry.user_id == team["other_member"].id  # attributed to the amendment's proposer
    assert version.cause == "amendment"
    changed = sock.events("changed")
    assert changed and changed[-1]["args"][0]["rev"] == 2
    assert "in every region" not in stored()[0]
    ack = sock.sync(core)  # the sync that `changed` triggers
    assert ack["ok"]
    text, rev = stored()
    for part in ("(draft)", "as equals, in every region.", "typed live 😀.", AMENDED):
        assert part in text and part in core.text
    assert "public and kept forever" not in text
    assert core.text == core.shadow == text and not core.outbox
    assert sock.sync(core)["edits"] == []  # converged: nothing more to carry
    state = app.extensions["coedit"].engine.states.get(core.client_id)
    assert state.shadow == text


def test_hunk_that_misses_the_live_text_is_counted_and_logged(app, team, sockets, caplog):
    sock = sockets(team["member"])
    core = sock.core()
    original = team["document"].current_version.paragraphs[2].text
    # the live draft rewrote the paragraph that the amendment changes
    core.edit(core.text.replace(original, REPLACED) + "\n\nStill typing.")
    assert sock.sync(core)["ok"]
    stats = app.extensions["coedit"].engine.stats
    before = stats["version_hunks_failed"], stats["version_changes_partial"]
    with caplog.at_level(logging.WARNING, logger="app.coedit.services"):
        version = accept(team, 2, "A completely different sentence replaces the whole paragraph.")
    assert stats["version_hunks_failed"] > before[0]
    assert stats["version_changes_partial"] == before[1] + 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        "'declaration'" in message and f"version {version.number}" in message
        for message in warnings
    ), warnings
    text, rev = stored()
    assert REPLACED in text and text.endswith("Still typing.")
    assert "completely different sentence" not in text  # never reported as applied
    assert sock.sync(core)["ok"]
    assert core.text == stored()[0]
