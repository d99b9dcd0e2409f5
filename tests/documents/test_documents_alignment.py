"""Paragraph alignment as a pure function: unit cases and properties."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.documents.alignment import align_keys


def key_maker(prefix="n"):
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter)}"


OLD = [
    ("a", "Governments and civil society draft together as equals in every session."),
    ("b", "Speaking time is shared equally between the four stakeholder groups."),
    ("c", "Every version of the text is public and kept with its reasons."),
    ("d", "Translations follow the source paragraph by paragraph."),
]


def test_identity_keeps_every_key():
    assert align_keys(OLD, [t for _, t in OLD], key_maker()) == ["a", "b", "c", "d"]


def test_insertion_gets_a_new_key_and_others_keep_theirs():
    texts = [t for _, t in OLD]
    texts.insert(2, "A brand new paragraph about observers and feeds.")
    assert align_keys(OLD, texts, key_maker()) == ["a", "b", "n1", "c", "d"]


def test_deletion_drops_the_key():
    texts = [OLD[0][1], OLD[2][1], OLD[3][1]]
    assert align_keys(OLD, texts, key_maker()) == ["a", "c", "d"]


def test_small_edit_keeps_key():
    texts = [t for _, t in OLD]
    texts[1] = "Speaking time is shared strictly equally between the four stakeholder groups."
    assert align_keys(OLD, texts, key_maker()) == ["a", "b", "c", "d"]


def test_rewrite_beyond_recognition_is_a_new_paragraph():
    texts = [t for _, t in OLD]
    texts[1] = "Observers may follow every change through an Atom feed."
    assert align_keys(OLD, texts, key_maker()) == ["a", "n1", "c", "d"]


def test_moved_paragraph_keeps_its_key():
    texts = [OLD[3][1], OLD[0][1], OLD[1][1], OLD[2][1]]
    assert align_keys(OLD, texts, key_maker()) == ["d", "a", "b", "c"]


def test_duplicated_paragraph_gets_a_fresh_key_for_the_copy():
    texts = [OLD[0][1], OLD[0][1], OLD[1][1]]
    keys = align_keys(OLD[:2], texts, key_maker())
    assert keys[2] == "b"
    assert sorted(keys[:2])[0] == "a" and keys[:2].count("a") == 1  # one copy keeps the key
    assert len(set(keys)) == 3


def test_empty_previous_version_gives_new_keys():
    assert align_keys([], ["One.", "Two."], key_maker()) == ["n1", "n2"]


# --- properties -----------------------------------------------------------------------------

VOCABULARY = [
    "equal",
    "weight",
    "government",
    "civil",
    "society",
    "private",
    "sector",
    "summit",
    "drafting",
    "text",
    "paragraph",
    "version",
    "public",
    "consensus",
    "caucus",
    "region",
    "amendment",
    "position",
    "support",
    "oppose",
    "translation",
    "team",
    "open",
    "process",
]
# Words that never occur in generated old paragraphs: inserted text is really new.
FRESH = ["zebra", "quartz", "lantern", "meadow", "violin", "harbor", "nectar", "saffron"]

sentence = st.lists(st.sampled_from(VOCABULARY), min_size=8, max_size=16).map(" ".join)
fresh_sentence = st.lists(st.sampled_from(FRESH), min_size=8, max_size=12).map(" ".join)
documents = st.lists(sentence, min_size=1, max_size=12, unique=True)


def old_version(texts):
    return [(f"k{i}", text) for i, text in enumerate(texts)]


@given(texts=st.lists(sentence, min_size=0, max_size=12))
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_aligning_a_text_with_itself_keeps_every_key(texts):
    old = old_version(texts)
    assert align_keys(old, texts, key_maker()) == [key for key, _ in old]


@given(old_texts=st.lists(sentence, max_size=10), new_texts=st.lists(sentence, max_size=10))
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_keys_are_never_duplicated(old_texts, new_texts):
    keys = align_keys(old_version(old_texts), new_texts, key_maker())
    assert len(keys) == len(new_texts)
    assert len(set(keys)) == len(keys)


@given(texts=documents, data=st.data())
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_unchanged_paragraphs_keep_their_key(texts, data):
    old = old_version(texts)
    kept = data.draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)))
    new = [(key, text) for (key, text), keep in zip(old, kept, strict=True) if keep]
    keys = align_keys(old, [text for _, text in new], key_maker())
    assert keys == [key for key, _ in new]


@given(texts=documents, data=st.data())
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_lightly_edited_paragraph_keeps_its_key(texts, data):
    old = old_version(texts)
    index = data.draw(st.integers(0, len(texts) - 1))
    words = texts[index].split()
    position = data.draw(st.integers(0, len(words) - 1))
    words[position] = data.draw(st.sampled_from(FRESH))  # one word of 8 to 16 replaced
    edited = " ".join(words)
    new_texts = list(texts)
    new_texts[index] = edited
    if edited in texts:  # the edit happened to produce another paragraph's text
        return
    keys = align_keys(old, new_texts, key_maker())
    assert keys[index] == old[index][0]
    assert keys == [key for key, _ in old]


@given(texts=documents, data=st.data())
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_inserted_and_deleted_paragraphs_are_recognised(texts, data):
    old = old_version(texts)
    deleted = data.draw(st.integers(0, len(texts) - 1))
    inserted_text = data.draw(fresh_sentence)
    where = data.draw(st.integers(0, len(texts) - 1))
    survivors = [pair for i, pair in enumerate(old) if i != deleted]
    new = survivors[:where] + [(None, inserted_text)] + survivors[where:]
    keys = align_keys(old, [text for _, text in new], key_maker("new"))
    old_keys = {key for key, _ in old}
    assert old[deleted][0] not in keys
    for (expected, _), key in zip(new, keys, strict=True):
        if expected is None:
            assert key.startswith("new") and key not in old_keys
        else:
            assert key == expected
