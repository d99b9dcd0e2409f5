"""The paragraph-aligned diff of two versions, as a pure function."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.documents.diffing import diff_paragraphs, summarize

BEFORE = [("a", "One."), ("b", "Two."), ("c", "Three."), ("d", "Four.")]


def statuses(entries):
    return [(e["key"], e["status"], e["moved"]) for e in entries]


def test_same_versions_are_all_unchanged():
    entries = diff_paragraphs(BEFORE, BEFORE)
    assert statuses(entries) == [(k, "unchanged", False) for k, _ in BEFORE]
    assert entries[1]["number_before"] == entries[1]["number_after"] == 2


def test_modified_inserted_deleted_in_place():
    after = [("a", "One."), ("b", "Two, changed."), ("x", "New."), ("d", "Four.")]
    entries = diff_paragraphs(BEFORE, after)
    assert statuses(entries) == [
        ("a", "unchanged", False),
        ("b", "modified", False),
        ("c", "deleted", False),
        ("x", "inserted", False),
        ("d", "unchanged", False),
    ]
    deleted = entries[2]
    assert deleted["before"] == "Three." and deleted["after"] is None
    assert deleted["number_before"] == 3 and deleted["number_after"] is None
    inserted = entries[3]
    assert inserted["before"] is None and inserted["number_after"] == 3


def test_deleted_first_paragraph_leads():
    entries = diff_paragraphs(BEFORE, BEFORE[1:])
    assert statuses(entries)[0] == ("a", "deleted", False)


def test_moved_paragraph_is_flagged_and_keeps_its_status():
    after = [("d", "Four, edited."), ("a", "One."), ("b", "Two."), ("c", "Three.")]
    entries = diff_paragraphs(BEFORE, after)
    assert statuses(entries) == [
        ("d", "modified", True),
        ("a", "unchanged", False),
        ("b", "unchanged", False),
        ("c", "unchanged", False),
    ]
    assert entries[0]["number_before"] == 4 and entries[0]["number_after"] == 1
    assert summarize(entries) == {
        "unchanged": 3,
        "modified": 1,
        "inserted": 0,
        "deleted": 0,
        "moved": 1,
    }


paragraph_lists = st.lists(
    st.tuples(st.sampled_from("abcdefghij"), st.sampled_from(["x", "y", "z"])),
    max_size=10,
    unique_by=lambda pair: pair[0],
)


@given(before=paragraph_lists, after=paragraph_lists)
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_paragraph_of_both_versions_appears_once(before, after):
    entries = diff_paragraphs(before, after)
    assert [e["after"] for e in entries if e["after"] is not None] == [t for _, t in after]
    assert sorted(e["key"] for e in entries if e["before"] is not None) == sorted(
        k for k, _ in before
    )
    for e in entries:
        assert (e["status"] == "unchanged") == (e["before"] == e["after"])
