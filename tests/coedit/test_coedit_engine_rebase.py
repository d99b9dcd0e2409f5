"""Exact rebasing of concurrent edits (engine.rebase) and its use by the server and the client."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.coedit.engine import MemoryStore, SyncEngine, diff_main, from_delta, rebase, to_delta
from tests.support.coedit_client import SyncClient

CHANNEL = "doc/en"


def result(diffs) -> str:
    return "".join(data for op, data in diffs if op != -1)


def merge(base: str, earlier: str, later: str) -> str:
    """The text after `earlier` was stored and `later` (made on the same base) rebased onto it."""
    stored = diff_main(base, earlier)
    step = rebase(diff_main(base, later), stored)
    assert "".join(data for op, data in step if op != 1) == earlier  # the diff starts at `earlier`
    answer = rebase(stored, diff_main(base, later), mine_earlier=True)
    assert result(answer) == result(step)  # what the later client is sent ends at the same text
    return result(step)


def test_same_position_inserts_never_interleave():
    base = "# Title"
    assert merge(base, "#<0.1😀> Title", "<1.2😀># Title") == "<1.2😀>#<0.1😀> Title"
    # both at the very same point: the later insertion goes after the stored one
    assert merge(base, "#<A> Title", "#<B> Title") == "#<A><B> Title"
    assert merge(base, "<AA># Title", "<AB># Title") == "<AA><AB># Title"


def test_insert_inside_a_concurrently_deleted_region_survives():
    base = "keep this region here"
    # the earlier change deleted "this region "; the later one typed inside it
    assert merge(base, "keep here", "keep this re<X>gion here") == "keep <X>here"


def test_deletion_spanning_a_concurrent_insert_removes_it_but_not_at_its_edges():
    base = "abcdef"
    # the stored change typed <I> inside "cd"; the later one deletes "bcde": the region goes
    assert merge(base, "abc<I>def", "af") == "af"
    # insertions at the edges of the deleted region are not inside it and stay
    assert merge(base, "a<L>bcdef", "aef") == "a<L>ef"
    assert merge(base, "abcd<R>ef", "aef") == "a<R>ef"


def test_overlapping_deletes_remove_each_character_once():
    base = "0123456789"
    assert merge(base, "0126789", "0123789") == "012789"
    assert merge(base, "0789", "0123459") == "09"
    assert merge(base, "", "01289") == ""


@pytest.mark.parametrize(
    "base, earlier, later, expected",
    [
        ("a😀b", "a😀<E>b", "a<L>😀b", "a<L>😀<E>b"),
        ("e\u0301x", "e\u0301<E>x", "e\u0301<L>x", "e\u0301<E><L>x"),
        ("שלום עולם", "שלום <E>עולם", "שלום <L>עולם", "שלום <E><L>עולם"),
        (
            "مرحبا 👩‍👩‍👧 end",
            "مرحبا 👩‍👩‍👧<E> end",
            "مرحبا<L> 👩‍👩‍👧 end",
            "مرحبا<L> 👩‍👩‍👧<E> end",
        ),
    ],
)
def test_astral_combining_and_rtl_text(base, earlier, later, expected):
    assert merge(base, earlier, later) == expected
    # and the rebased step travels as a UTF-16 delta exactly
    step = rebase(diff_main(base, later), diff_main(base, earlier))
    assert from_delta(earlier, to_delta(step))[1] == expected


TEXT = st.text(alphabet="ab <>😀é\u0301ש", max_size=14)


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT, TEXT, st.booleans())
def test_rebase_is_exact_and_both_directions_meet(base, a, b, a_earlier):
    da, db = diff_main(base, a), diff_main(base, b)
    ab = rebase(da, db, mine_earlier=a_earlier)
    ba = rebase(db, da, mine_earlier=not a_earlier)
    assert "".join(d for op, d in ab if op != 1) == b
    assert "".join(d for op, d in ba if op != 1) == a
    assert result(ab) == result(ba)


def test_rebase_refuses_diffs_of_different_bases():
    with pytest.raises(ValueError):
        rebase(diff_main("abc", "abXc"), diff_main("abd", "ab"))


def test_server_rebases_through_stored_revs_without_fuzzy_patching():
    store = MemoryStore({CHANNEL: "# Title\n\nBody."})
    engine = SyncEngine(store)
    a, b = (engine.join(CHANNEL, user=u) for u in (1, 2))
    engine.sync(
        a.client_id,
        CHANNEL,
        0,
        [{"n": 0, "delta": to_delta(diff_main(a.text, "#<0.1😀> Title\n\nBody."))}],
    )
    answer = engine.sync(
        b.client_id,
        CHANNEL,
        0,
        [{"n": 0, "delta": to_delta(diff_main(b.text, "<1.2😀># Title\n\nBody."))}],
    )
    assert store.load(CHANNEL) == ("<1.2😀>#<0.1😀> Title\n\nBody.", 2)
    assert engine.stats["rebased_edits"] == 2 and engine.stats["fuzzy_fallbacks"] == 0
    # the answer brings the later client's shadow exactly to the stored text
    assert (
        from_delta("<1.2😀># Title\n\nBody.", answer.edits[0]["delta"])[1] == store.load(CHANNEL)[0]
    )


def test_a_restarted_server_rebases_from_the_edit_log():
    store = MemoryStore({CHANNEL: "one two"})
    engine = SyncEngine(store)
    a, b = (engine.join(CHANNEL, user=u) for u in (1, 2))
    engine.sync(a.client_id, CHANNEL, 0, [{"n": 0, "delta": "=3\t+ <A>\t=4"}])
    engine.channels.clear()  # the cached diffs between revs are gone (another process stored it)
    engine.sync(b.client_id, CHANNEL, 0, [{"n": 0, "delta": "=3\t+ <B>\t=4"}])
    assert store.load(CHANNEL)[0] == "one <A> <B> two"
    assert engine.stats["steps_from_log"] == 1 and engine.stats["fuzzy_fallbacks"] == 0


def test_client_keeps_its_typing_whole_when_a_concurrent_insert_arrives():
    client = SyncClient("doc", "en")
    client.on_join({"ok": True, "client_id": "c", "text": "# Title", "rev": 0, "n": 0, "m": 0})
    client.edit("<mine># Title")
    server_edit = to_delta(diff_main("# Title", "#<theirs> Title"))
    assert client.on_sync({"ok": True, "n": 0, "edits": [{"m": 0, "delta": server_edit}], "rev": 1})
    assert client.text == "<mine>#<theirs> Title"
    assert client.shadow == "#<theirs> Title"


def _beyond_the_history(without_log: bool):
    """A slow client's edit after more stored revs than the history keeps since its base."""
    from app.coedit.engine.history import STEP_CACHE_SIZE

    store = MemoryStore({CHANNEL: "alpha beta gamma"})
    engine = SyncEngine(store)
    slow, busy = (engine.join(CHANNEL, user=u) for u in (1, 2))
    text = "alpha beta gamma"
    for k in range(STEP_CACHE_SIZE + 5):
        new = f"<{k}>" + text
        engine.sync(busy.client_id, CHANNEL, 0, [{"n": k, "delta": to_delta(diff_main(text, new))}])
        text = new
    if without_log:
        store.deltas = lambda channel, after, upto: []
    engine.sync(slow.client_id, CHANNEL, 0, [{"n": 0, "delta": "=6\t+<slow> \t=10"}])
    assert store.load(CHANNEL)[0] == text.replace("alpha ", "alpha <slow> ")
    assert engine.stats["fuzzy_fallbacks"] == 0
    return engine


def test_a_base_beyond_the_history_is_rebased_over_the_logged_steps():
    """More stored revs than the history keeps since a client's base: its edit is rebased
    exactly over the stored steps since then, composed from the edit log."""
    engine = _beyond_the_history(without_log=False)
    assert engine.stats["bases_from_log"] == 1 and engine.stats["diffed_bases"] == 0


def test_a_base_beyond_the_history_and_the_log_is_rebased_over_a_diff_not_patched():
    """Without the edit log, the edit still lands where it was typed (rebased over a diff of
    its base to the stored text)."""
    engine = _beyond_the_history(without_log=True)
    assert engine.stats["diffed_bases"] == 1
