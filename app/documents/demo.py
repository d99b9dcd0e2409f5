"""Demo content: every sample draft in drafts/, owned by the drafting team."""

from pathlib import Path

from app.bodies.queries import body_by_slug
from app.documents.importing import MARKDOWN_SUFFIXES, collect_sources, import_sources, is_skipped

OPEN_FOR_AMENDMENTS = {"best-practice"}


def load_demo(drafts_dir: Path) -> None:
    """Import each draft (a .md file or a directory of versions); the caller commits."""
    if not drafts_dir.is_dir():
        return
    paths = sorted(
        p
        for p in drafts_dir.iterdir()
        if not is_skipped(p) and (p.is_dir() or p.suffix.lower() in MARKDOWN_SUFFIXES)
    )
    sources = collect_sources(paths)
    owner = body_by_slug("drafting-team")
    for result in import_sources(sources, owner=owner):
        if result.slug in OPEN_FOR_AMENDMENTS:
            result.document.status = "open"
