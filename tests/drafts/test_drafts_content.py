"""The sample drafts in drafts/ follow the format the demo loader and importer rely on."""

import itertools
import re
from pathlib import Path

import pytest

from app.core.textdiff import similarity
from app.documents.alignment import align_keys
from app.documents.splitting import split_paragraphs, title_of

DRAFTS = Path(__file__).resolve().parents[2] / "drafts"
V1 = DRAFTS / "best-practice" / "01-first-draft.md"
V2 = DRAFTS / "best-practice" / "02-revised-draft.md"
POSITION = DRAFTS / "civil-society-implementation-position.md"
TRANSLATIONS = {"fr": 12, "ar": 8}

# The revision, in 1-based paragraph numbers: lightly edited paragraphs (v1 -> v2 position),
# the paragraph deleted from v1 and the paragraphs inserted in v2.
EDITED = {2: 2, 6: 6, 12: 13, 31: 32, 40: 40}
DELETED = {32}
INSERTED = {8, 57}

_HEADING = re.compile(r"(#{1,6})\s")
_ORDERED = re.compile(r"(\d{1,9})[.)]\s")
_BULLET = re.compile(r"[-*+]\s")
_LINK_TARGET = re.compile(r"\]\(([^)\s]+)")
_AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^>\s]*)>", re.IGNORECASE)


def paragraphs(path: Path) -> list[str]:
    return split_paragraphs(path.read_text(encoding="utf-8"))


def block_kind(block: str) -> tuple:
    """The type of a block: heading with its level, list item with its marker, quote, paragraph."""
    if match := _HEADING.match(block):
        return ("heading", len(match.group(1)))
    if match := _ORDERED.match(block):
        return ("ordered item", int(match.group(1)))
    if _BULLET.match(block):
        return ("bullet item",)
    if block.startswith(">"):
        return ("quote",)
    return ("paragraph",)


def revision_pairs(v1: list[str], v2: list[str]) -> list[tuple[int, int]]:
    """Pairs (v1 number, v2 number) of the paragraphs that survive the revision, in order."""
    kept_old = [n for n in range(1, len(v1) + 1) if n not in DELETED]
    kept_new = [n for n in range(1, len(v2) + 1) if n not in INSERTED]
    assert len(kept_old) == len(kept_new)
    return list(zip(kept_old, kept_new, strict=True))


@pytest.fixture(scope="module")
def v1() -> list[str]:
    return paragraphs(V1)


@pytest.fixture(scope="module")
def v2() -> list[str]:
    return paragraphs(V2)


def test_first_draft_is_a_full_document_with_its_title_first(v1):
    assert len(v1) >= 30
    assert v1[0].startswith("# ")
    assert title_of(V1.read_text(encoding="utf-8")) == v1[0][2:].strip()
    kinds = [block_kind(block) for block in v1]
    assert kinds.count(("heading", 2)) >= 8
    assert sum(kind[0] == "ordered item" for kind in kinds) >= 20


def test_operative_paragraphs_are_numbered_in_sequence(v1, v2):
    for version in (v1, v2):
        numbers = [kind[1] for kind in map(block_kind, version) if kind[0] == "ordered item"]
        assert numbers == list(range(1, len(numbers) + 1))


def test_revision_edits_inserts_and_deletes_the_intended_paragraphs(v1, v2):
    assert len(v2) == len(v1) - len(DELETED) + len(INSERTED)
    assert v1[0] == v2[0]
    edited = unchanged = 0
    for old, new in revision_pairs(v1, v2):
        if old in EDITED:
            assert EDITED[old] == new
            assert v1[old - 1] != v2[new - 1]
            assert block_kind(v1[old - 1]) == block_kind(v2[new - 1])
            assert similarity(v1[old - 1], v2[new - 1]) >= 0.7, (old, new)
            edited += 1
        else:
            assert v1[old - 1] == v2[new - 1], (old, new)
            unchanged += 1
    assert edited == len(EDITED)
    assert unchanged >= len(v1) - 10
    for number in DELETED:
        assert v1[number - 1] not in v2
    for number in INSERTED:
        assert v2[number - 1] not in v1


def test_the_rest_of_the_revision_is_unchanged_byte_for_byte():
    source = V1.read_text(encoding="utf-8")
    revised = V2.read_text(encoding="utf-8")
    v1, v2 = split_paragraphs(source), split_paragraphs(revised)
    untouched = [v1[old - 1] for old, _ in revision_pairs(v1, v2) if old not in EDITED]
    for block in untouched:
        assert block in revised
    assert revised.endswith("\n") and source.endswith("\n")


def test_alignment_keeps_the_keys_of_edited_paragraphs(v1, v2):
    counter = itertools.count(1)
    old = [(f"k{next(counter)}", text) for text in v1]
    keys = align_keys(old, v2, lambda: f"k{next(counter)}")
    assert len(keys) == len(v2) and len(set(keys)) == len(keys)
    for old_number, new_number in revision_pairs(v1, v2):
        assert keys[new_number - 1] == old[old_number - 1][0], (old_number, new_number)
    old_keys = {key for key, _ in old}
    for number in INSERTED:
        assert keys[number - 1] not in old_keys
    for number in DELETED:
        assert old[number - 1][0] not in keys


def test_a_translated_paragraph_is_revised_so_the_demo_shows_an_outdated_translation(v1, v2):
    shortest = min(TRANSLATIONS.values())
    assert any(number <= shortest for number in EDITED)
    changed = {old for old, new in revision_pairs(v1, v2) if v1[old - 1] != v2[new - 1]}
    assert changed & set(range(1, shortest + 1))


@pytest.mark.parametrize(("lang", "count"), sorted(TRANSLATIONS.items()))
def test_translations_match_the_first_paragraphs_block_by_block(v1, lang, count):
    translated = paragraphs(DRAFTS / "translations" / f"best-practice.{lang}.md")
    assert len(translated) == count
    assert [block_kind(b) for b in translated] == [block_kind(b) for b in v1[:count]]
    for source, translation in zip(v1[:count], translated, strict=True):
        assert translation != source
        assert source.count("**") == translation.count("**")


def test_civil_society_position_paper():
    blocks = paragraphs(POSITION)
    assert 15 <= len(blocks) <= 25
    assert blocks[0].startswith("# ")
    headings = [b.lower() for b in blocks if block_kind(b) == ("heading", 2)]
    for group in ("governments", "the private sector", "international organizations"):
        assert f"## what we ask of {group}" in headings
    assert "## what civil society commits to" in headings
    assert "## monitoring and review" in headings


@pytest.mark.parametrize("path", sorted(DRAFTS.rglob("*.md")), ids=lambda p: p.name)
def test_links_use_https_only(path):
    text = path.read_text(encoding="utf-8")
    targets = _LINK_TARGET.findall(text) + _AUTOLINK.findall(text)
    for target in targets:
        assert target.startswith("https://"), target
    assert "\r" not in text and "\t" not in text
