"""Cost of publishing a long working draft: paragraph alignment alone, and the whole publish.

    .venv/bin/python bench/publish_alignment.py                 # every scenario, bounded code
    .venv/bin/python bench/publish_alignment.py --reference     # also the code before the bound

The draft has `--paragraphs` paragraphs (default 500) made of the sample drafts' sentences
(drafts/, shuffled with a fixed seed, one to six sentences each). Scenarios:
  scattered  `--edited` paragraphs (default 100) picked at random get ordinary edits (a few words
             replaced, inserted or deleted, a clause added);
  block      the same number of consecutive paragraphs get ordinary edits (one long gap);
  rewrite    50 paragraphs of about 1.4 kB (70 kB) each rewritten beyond recognition, the case
             that took 82 s before.
For each: align_keys time (bounded, and with --reference the reference copy kept in
tests/documents/alignment_reference.py), whether both gave the same keys, and the whole
`publish_live_text` (split, align, store the version, signals, commit) on a fresh SQLite
database.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXTRA_WORDS = [
    "notably",
    "promptly",
    "jointly",
    "openly",
    "fairly",
    "regularly",
    "publicly",
    "formally",
]


def sample_sentences() -> list[str]:
    """Every sentence of the sample drafts' prose paragraphs."""
    sentences = []
    for path in sorted((ROOT / "drafts").rglob("*.md")):
        if path.name == "README.md" or "translations" in path.parts:
            continue
        for block in path.read_text().split("\n\n"):
            block = block.strip()
            if block and not block.startswith(("#", "|", ">")):
                block = re.sub(r"^(\d+\.|-)\s+", "", block)
                sentences += [s.strip() for s in re.split(r"(?<=[.;:])\s+", block) if s.strip()]
    return sorted(set(sentences))


def make_draft(rng: random.Random, count: int, sentences=(1, 6)) -> list[str]:
    pool = sample_sentences()
    paragraphs: list[str] = []
    seen = set()
    while len(paragraphs) < count:
        text = " ".join(rng.sample(pool, rng.randint(*sentences)))
        if text not in seen:
            seen.add(text)
            paragraphs.append(text)
    return paragraphs


def ordinary_edit(rng: random.Random, text: str) -> str:
    """A few words replaced, inserted or deleted, sometimes a clause added."""
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        where = rng.randrange(len(words))
        kind = rng.choice(("replace", "insert", "delete"))
        if kind == "replace":
            words[where] = rng.choice(EXTRA_WORDS)
        elif kind == "insert":
            words.insert(where, rng.choice(EXTRA_WORDS))
        elif len(words) > 3:
            del words[where]
    if rng.random() < 0.3:
        words += ["where", "the", "plenary", "so", "decides."]
    return " ".join(words)


def rewrite(rng: random.Random, text: str) -> str:
    """The same length in other words: nothing of it survives but spaces and common words."""
    return " ".join(rng.choice(EXTRA_WORDS + ["and", "the", "of"]) for _ in text.split(" "))


def scenario(name: str, rng: random.Random, paragraphs: int, edited: int):
    if name == "rewrite":
        old = make_draft(rng, 50, sentences=(8, 12))
        return old, [rewrite(rng, t) for t in old]
    old = make_draft(rng, paragraphs)
    new = list(old)
    if name == "scattered":
        picked = rng.sample(range(paragraphs), edited)
    else:
        start = rng.randrange(paragraphs - edited)
        picked = range(start, start + edited)
    for i in picked:
        new[i] = ordinary_edit(rng, new[i])
    return old, new


def time_alignment(align, old_texts, new_texts) -> tuple[float, list[str]]:
    counter = itertools.count()
    old = [(f"k{i}", t) for i, t in enumerate(old_texts)]
    started = time.perf_counter()
    keys = align(old, new_texts, lambda: f"new{next(counter)}")
    return time.perf_counter() - started, keys


def time_publish(old_texts, new_texts) -> float:
    """The whole publish of the live text through the services, one commit, fresh SQLite."""
    from app import create_app
    from app.accounts.services import register_user
    from app.coedit.models import LiveText
    from app.coedit.services import get_or_create_live_text, publish_live_text
    from app.config import TestConfig
    from app.documents.services import create_document
    from app.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db"})
        with app.app_context():
            db.create_all()
            admin = register_user(
                email="admin@example.org",
                name="Admin",
                password="bench password 2026",
                group="government",
                country="FR",
                organization="Bench",
                is_admin=True,
            )
            markdown = "# Long draft\n\n" + "\n\n".join(old_texts) + "\n"
            document = create_document(title="Long draft", markdown=markdown, author=admin)
            live = get_or_create_live_text(document)
            db.session.get(LiveText, live.id).text = (
                "# Long draft\n\n" + "\n\n".join(new_texts) + "\n"
            )
            db.session.commit()
            started = time.perf_counter()
            publish_live_text(document, None, admin, "Bench")
            db.session.commit()
            elapsed = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--paragraphs", type=int, default=500)
    parser.add_argument("--edited", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--scenario", action="append", choices=("scattered", "block", "rewrite"), default=None
    )
    parser.add_argument("--reference", action="store_true", help="also time the code before")
    args = parser.parse_args()
    from app.documents.alignment import align_keys

    print("| scenario | paragraphs | kB | align s | publish s | reference align s | same keys |")
    print("|---|---|---|---|---|---|---|")
    for name in args.scenario or ["scattered", "block", "rewrite"]:
        old, new = scenario(name, random.Random(args.seed), args.paragraphs, args.edited)
        seconds, keys = time_alignment(align_keys, old, new)
        publish = time_publish(old, new)
        reference = same = "—"
        if args.reference:
            sys.path.insert(0, str(ROOT / "tests" / "documents"))
            from alignment_reference import align_keys as reference_align

            ref_seconds, ref_keys = time_alignment(reference_align, old, new)
            reference, same = f"{ref_seconds:.2f}", "yes" if ref_keys == keys else "no"
        kilobytes = len("\n\n".join(new).encode()) / 1000
        print(
            f"| {name} | {len(new)} | {kilobytes:.0f} | {seconds:.2f} | {publish:.2f} "
            f"| {reference} | {same} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
