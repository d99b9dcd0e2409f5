"""The bounded alignment gives the keys the quadratic one gave on ordinary edits, with less work."""

import itertools
import random
from pathlib import Path

import pytest
from alignment_reference import align_keys as reference_align_keys
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.documents import alignment
from app.documents.alignment import align_keys
from app.documents.splitting import split_paragraphs

DRAFTS = Path(__file__).resolve().parents[2] / "drafts"
SAMPLES = {
    path.relative_to(DRAFTS).as_posix(): split_paragraphs(path.read_text())
    for path in sorted(DRAFTS.rglob("*.md"))
    if path.name != "README.md"
}
EXTRA = ["notably", "promptly", "jointly", "openly", "fairly", "regularly", "publicly"]


def key_maker():
    counter = itertools.count(1)
    return lambda: f"new{next(counter)}"


def both(old_texts, new_texts):
    old = [(f"k{i}", text) for i, text in enumerate(old_texts)]
    return align_keys(old, new_texts, key_maker()), reference_align_keys(
        old, new_texts, key_maker()
    )


def test_the_sample_revision_gets_the_same_keys():
    first = SAMPLES["best-practice/01-first-draft.md"]
    second = SAMPLES["best-practice/02-revised-draft.md"]
    bounded, reference = both(first, second)
    assert bounded == reference
    assert sum(key.startswith("k") for key in bounded) >= len(second) - 3  # edits kept their key


def edit_words(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        where = rng.randrange(len(words))
        kind = rng.choice(("replace", "insert", "delete"))
        if kind == "replace":
            words[where] = rng.choice(EXTRA)
        elif kind == "insert":
            words.insert(where, rng.choice(EXTRA))
        elif len(words) > 2:
            del words[where]
    return " ".join(words)


@st.composite
def ordinary_edits(draw):
    """A sample draft, and a revision of it: words edited, paragraphs added, dropped, moved."""
    name = draw(st.sampled_from(sorted(SAMPLES)))
    old = SAMPLES[name]
    rng = random.Random(draw(st.integers(0, 2**32)))
    new = list(old)
    for i in rng.sample(range(len(new)), draw(st.integers(0, min(len(new), 12)))):
        new[i] = edit_words(rng, new[i])
    if draw(st.booleans()):  # a run of consecutive edited paragraphs: one long gap
        start = rng.randrange(len(new))
        for i in range(start, min(len(new), start + draw(st.integers(2, 15)))):
            new[i] = edit_words(rng, new[i])
    for _ in range(draw(st.integers(0, 3))):
        new.insert(rng.randrange(len(new) + 1), " ".join(rng.choices(EXTRA, k=9)) + ".")
    for _ in range(draw(st.integers(0, 3))):
        if len(new) > 1:
            del new[rng.randrange(len(new))]
    if draw(st.booleans()) and len(new) > 2:
        new.insert(rng.randrange(len(new)), new.pop(rng.randrange(len(new))))
    return old, new


@given(pair=ordinary_edits())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_ordinary_edits_of_the_samples_get_the_same_keys(pair):
    old, new = pair
    bounded, reference = both(old, new)
    assert bounded == reference


def test_unrelated_pairs_are_never_diffed(monkeypatch):
    rng = random.Random(7)
    old = SAMPLES["best-practice/01-first-draft.md"]
    new = [" ".join(rng.choices(EXTRA, k=len(text.split()))) for text in old]
    new[5] = edit_words(rng, old[5])  # one paragraph survives among rewritten ones
    diffed = []
    real = alignment.similarity

    def counting(a, b):
        diffed.append((a, b))
        return real(a, b)

    monkeypatch.setattr(alignment, "similarity", counting)
    keys = align_keys([(f"k{i}", t) for i, t in enumerate(old)], new, key_maker())
    assert keys[5] == "k5"
    assert sum(key.startswith("k") for key in keys) == 1
    assert len(diffed) <= 3 * len(old), len(diffed)  # not len(old) ** 2


@pytest.mark.parametrize("limit", [40, 400])
def test_a_gap_past_the_diff_cap_is_paired_near_its_diagonal(monkeypatch, limit):
    rng = random.Random(3)
    vocabulary = ["equal", "weight", "summit", "text", "caucus", "public", "team", "open"]
    old = [" ".join(rng.choices(vocabulary, k=12)) + f" {i}." for i in range(60)]
    new = [edit_words(rng, text) for text in old]  # every paragraph edited: one 60 x 60 gap
    diffed = []
    real = alignment.similarity

    def counting(a, b):
        diffed.append((a, b))
        return real(a, b)

    monkeypatch.setattr(alignment, "MAX_DIFFS_PER_GAP", limit)
    monkeypatch.setattr(alignment, "similarity", counting)
    keys = align_keys([(f"k{i}", t) for i, t in enumerate(old)], new, key_maker())
    assert len(diffed) <= 3 * 60 * (1 + limit // 120)
    kept = [key for key in keys if key.startswith("k")]
    assert kept == sorted(kept, key=lambda k: int(k[1:]))  # in order
    assert len(set(keys)) == len(keys)
    assert sum(keys[i] == f"k{i}" for i in range(60)) >= 50  # the diagonal is still found
