"""Accepting rebases onto today's paragraph: clean, concurrent, conflicting, deleted, inserts."""

import pytest

from app.amendments import queries, services
from app.amendments.rebase import rebase_text
from app.core.errors import Conflict
from app.documents.services import append_version
from app.extensions import db


def _texts(document):
    return [p.text for p in document.current_version.paragraphs]


def _publish(world, texts):
    version = append_version(
        world.document, texts, author=world.coordinator, cause="publish", message="edit"
    )
    db.session.commit()
    return version


def test_clean_accept_creates_attributed_version(world, propose):
    amendment = propose(on_behalf_of="gender-caucus")
    result = services.accept_amendment(
        amendment, world.coordinator, "As agreed in the drafting group."
    )
    db.session.commit()
    assert result.ok
    version = result.version
    assert version.number == 2 and version.cause == "amendment"
    assert version.author_id == world.proposer.id
    assert version.message == f"Amendment #{amendment.id} by Civil society (Gender caucus)"
    assert amendment.status == "accepted" and amendment.merged_version_id == version.id
    assert amendment.decided_by_id == world.coordinator.id
    texts = _texts(world.document)
    assert "guarantee access" in texts[1]
    assert [p.key for p in version.paragraphs] == world.keys  # identity kept
    # Blame: the paragraph was last changed by this amendment.
    assert queries.blame(version) == {world.keys[1]: amendment}


def test_concurrent_change_elsewhere_in_paragraph_is_carried_over(world, propose):
    amendment = propose()  # ensure -> guarantee
    texts = _texts(world.document)
    texts[1] = texts[1].replace("in every region.", "in every region of the world.")
    texts[1] = "Recalling Rio, t" + texts[1][1:]
    _publish(world, texts)
    result = services.accept_amendment(
        amendment, world.coordinator, "As agreed in the drafting group."
    )
    db.session.commit()
    assert result.ok
    assert _texts(world.document)[1] == (
        "Recalling Rio, the parties shall guarantee access to information for all stakeholders, "
        "in every region of the world."
    )


def test_overlapping_change_is_a_conflict_and_can_be_rebased(world, propose, make_user):
    amendment = propose()
    services.set_position(amendment, world.participant, "support")
    db.session.commit()
    texts = _texts(world.document)
    texts[1] = texts[1].replace("ensure", "promote")
    before = _publish(world, texts)
    result = services.accept_amendment(
        amendment, world.coordinator, "As agreed in the drafting group."
    )
    db.session.commit()
    assert not result.ok and amendment.status == "conflict"
    assert result.conflict["current_text"] == texts[1]
    assert world.document.current_version_id == before.id  # no version
    with pytest.raises(Conflict):
        services.accept_amendment(amendment, world.coordinator, "As agreed in the drafting group.")
    # The proposer rebases onto today's text: back to proposed, old positions kept but marked.
    services.rebase_amendment(
        amendment, world.proposer, texts[1].replace("promote", "promote and guarantee")
    )
    db.session.commit()
    assert amendment.status == "proposed" and amendment.revision == 2
    assert amendment.base_text == texts[1] and amendment.base_version_id == before.id
    tally = queries.tally(amendment)
    assert tally.groups["government"].support == 1 and tally.earlier_text == 1
    services.set_position(amendment, world.participant, "oppose")
    db.session.commit()
    assert queries.tally(amendment).earlier_text == 0
    result = services.accept_amendment(
        amendment, world.coordinator, "As agreed in the drafting group."
    )
    db.session.commit()
    assert result.ok and "promote and guarantee" in _texts(world.document)[1]


def test_deleted_paragraph_supersedes_pending_amendments(world, propose):
    modify = propose()
    insert_after = propose(kind="insert", index=1, text="A new paragraph after the second.")
    at_start = propose(kind="insert", index=None, text="A preamble.")
    texts = _texts(world.document)
    del texts[1]
    _publish(world, texts)
    db.session.refresh(modify)
    assert modify.status == "superseded"
    assert insert_after.status == "superseded"
    assert at_start.status == "proposed"  # the start of a document never disappears


def test_accepting_amendment_to_deleted_paragraph_supersedes_it(world, propose):
    amendment = propose()
    # A version that drops the key without going through the signal listener's filter.
    amendment.status = "proposed"
    texts = _texts(world.document)
    del texts[1]
    _publish(world, texts)
    amendment.status = "proposed"  # as if the listener had not run
    db.session.commit()
    result = services.accept_amendment(
        amendment, world.coordinator, "As agreed in the drafting group."
    )
    db.session.commit()
    assert not result.ok and amendment.status == "superseded"
    assert result.conflict["reason"] == "paragraph_deleted"


def test_insert_at_start_and_end(world, propose):
    start = propose(kind="insert", index=None, text="Preamble paragraph.")
    end = propose(kind="insert", index=len(world.keys) - 1, text="Closing paragraph.")
    assert services.accept_amendment(start, world.admin, "As agreed in the drafting group.").ok
    assert services.accept_amendment(end, world.admin, "As agreed in the drafting group.").ok
    db.session.commit()
    texts = _texts(world.document)
    assert texts[0] == "Preamble paragraph." and texts[-1] == "Closing paragraph."
    assert len(texts) == len(world.keys) + 2
    keys = [p.key for p in world.document.current_version.paragraphs]
    assert keys[1:-1] == world.keys and world.document.current_version.number == 3


def test_accepted_delete_removes_paragraph_and_competitors(world, propose):
    delete = propose(kind="delete", index=2)
    competing = propose(index=2, text="Every version is public.")
    assert services.accept_amendment(
        delete, world.coordinator, "As agreed in the drafting group."
    ).ok
    db.session.commit()
    assert world.keys[2] not in [p.key for p in world.document.current_version.paragraphs]
    assert delete.status == "accepted" and competing.status == "superseded"


def test_delete_of_changed_paragraph_conflicts(world, propose):
    delete = propose(kind="delete", index=2)
    texts = _texts(world.document)
    texts[2] = "Every version of the text is public."
    _publish(world, texts)
    result = services.accept_amendment(
        delete, world.coordinator, "As agreed in the drafting group."
    )
    assert not result.ok and delete.status == "conflict"
    services.rebase_amendment(delete, world.proposer)
    assert delete.status == "proposed" and delete.base_text == texts[2]
    assert services.accept_amendment(
        delete, world.coordinator, "As agreed in the drafting group."
    ).ok


def test_rebase_without_text_carries_clean_change(world, propose):
    amendment = propose()
    texts = _texts(world.document)
    texts[1] = texts[1] + " Always."
    _publish(world, texts)
    services.rebase_amendment(amendment, world.proposer)
    assert amendment.base_text == texts[1] and "guarantee" in amendment.text
    assert amendment.text.endswith("Always.")


@pytest.mark.parametrize(
    "base, proposed, current, expected",
    [
        ("a b c d e f g h", "a b X d e f g h", "a b c d e f g h", "a b X d e f g h"),
        (
            "The cat sat on the mat today.",
            "The dog sat on the mat today.",
            "The cat sat on the mat today, quietly.",
            "The dog sat on the mat today, quietly.",
        ),
        ("The cat sat on the mat.", "The dog sat on the mat.", "The lion sat on the mat.", None),
        ("One two three.", "One two three.", "One two three four.", "One two three four."),
    ],
)
def test_rebase_text(base, proposed, current, expected):
    assert rebase_text(base, proposed, current) == expected


def test_rebase_page_carries_others_merged_change_and_never_reverts_it(
    world, propose, client, login
):
    amendment = propose()  # "ensure" -> "guarantee" in paragraph 2
    texts = _texts(world.document)
    texts[1] = "Meanwhile: " + texts[1]  # someone else's change, merged since
    _publish(world, texts)
    login(client, world.proposer)

    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    # The form offers the change carried over to today's text, not the stale text.
    assert "Meanwhile: " in page

    client.post(
        f"/amendments/{amendment.id}/rebase",
        data={"text": texts[1].replace("ensure", "guarantee")},
    )
    db.session.refresh(amendment)
    assert amendment.status == "proposed"
    assert amendment.base_text == texts[1]
    assert amendment.text.startswith("Meanwhile: ") and "guarantee" in amendment.text
