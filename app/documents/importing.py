"""Importing Markdown drafts from files: validate every file first, then write.

A file is one document with one version; a directory is one document whose Markdown
files (`*.md`, `*.markdown`), in name order, are its successive versions. The slug is
the file name without extension, or the directory name. The title is the first heading.
Re-importing adds a version for each file that changed since; an unchanged draft adds
nothing.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.bodies.queries import body_by_slug
from app.core.errors import ValidationError
from app.documents.models import DOCUMENT_STATUSES, Document, Version
from app.documents.queries import texts_by_version
from app.documents.services import append_version, create_document, slugify
from app.documents.splitting import split_paragraphs, title_of
from app.extensions import db

MARKDOWN_SUFFIXES = (".md", ".markdown")
MAX_DRAFT_BYTES = 2 * 1024 * 1024
# Directories of translations sit beside the drafts; the translations domain imports them.
SKIPPED_DIRECTORIES = {"translations"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass
class ParsedDraft:
    path: Path
    title: str
    texts: list[str]
    markdown: str


@dataclass
class DraftSource:
    slug: str
    path: Path
    versions: list[ParsedDraft]


@dataclass
class ImportResult:
    slug: str
    action: str  # created | updated | unchanged
    document: Document
    versions: list[Version] = field(default_factory=list)


def read_draft(path: Path) -> ParsedDraft:
    """Read and check one Markdown file; a ValidationError names the file and the problem."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError(
            _l("%(path)s: cannot be read (%(error)s).", path=path, error=error.strerror or error)
        ) from error
    return parse_draft(data, path)


def parse_draft(data: bytes, path: Path) -> ParsedDraft:
    """Check and split the bytes of one Markdown draft (from a file or an upload)."""
    if len(data) > MAX_DRAFT_BYTES:
        raise ValidationError(
            _l(
                "%(path)s: larger than %(MAX_DRAFT_BYTES)s KiB.",
                path=path,
                MAX_DRAFT_BYTES=MAX_DRAFT_BYTES // 1024,
            )
        )
    if not data.strip():
        raise ValidationError(_l("%(path)s: the file is empty.", path=path))
    if b"\x00" in data:
        raise ValidationError(
            _l("%(path)s: a binary file (it contains NUL bytes), not Markdown text.", path=path)
        )
    try:
        markdown = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _l(
                "%(path)s: not UTF-8 text (invalid byte at offset %(start)s); is it a binary file?",
                path=path,
                start=error.start,
            )
        ) from error
    if _CONTROL.search(markdown):
        raise ValidationError(
            _l("%(path)s: contains control characters; not a Markdown text file.", path=path)
        )
    markdown = markdown.replace("\r\n", "\n").replace("\r", "\n")
    try:
        texts = split_paragraphs(markdown)
        title = title_of(markdown)
    except Exception as error:  # markdown-it raises plain exceptions on pathological input
        raise ValidationError(
            _l("%(path)s: cannot be parsed as Markdown (%(error)s).", path=path, error=error)
        ) from error
    if not texts:
        raise ValidationError(_l("%(path)s: no text (only blank lines or whitespace).", path=path))
    if not title:
        raise ValidationError(
            _l(
                "%(path)s: no heading; the first heading (such as `# Title`) gives the document its title.",
                path=path,
            )
        )
    if len(title) > 300:
        raise ValidationError(
            _l("%(path)s: the title (first heading) is longer than 300 characters.", path=path)
        )
    return ParsedDraft(path=path, title=title, texts=texts, markdown=markdown)


def is_skipped(path: Path) -> bool:
    """Translations directories and README files sit among drafts without being drafts."""
    if path.is_dir():
        return path.name in SKIPPED_DIRECTORIES
    return path.name.lower().startswith("readme") or path.name.startswith(".")


def collect_sources(paths) -> list[DraftSource]:
    """Read and validate every draft named by `paths` before anything is written."""
    sources: list[DraftSource] = []
    for raw in paths:
        path = Path(raw)
        if is_skipped(path):
            continue
        if path.is_dir():
            files = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in MARKDOWN_SUFFIXES and not is_skipped(p)
            )
            if not files:
                raise ValidationError(
                    _l("%(path)s: the directory holds no Markdown (.md) files.", path=path)
                )
            sources.append(DraftSource(slugify(path.name), path, [read_draft(f) for f in files]))
        elif path.is_file():
            stem = path.name.rsplit(".", 1)[0] if "." in path.name else path.name
            sources.append(DraftSource(slugify(stem), path, [read_draft(path)]))
        else:
            raise ValidationError(_l("%(path)s: no such file or directory.", path=path))
    seen: dict[str, Path] = {}
    for source in sources:
        if source.slug in seen:
            raise ValidationError(
                _l(
                    "%(path)s and %(slug)s would both be the document %(slug2)s.",
                    path=source.path,
                    slug=seen[source.slug],
                    slug2=repr(source.slug),
                )
            )
        seen[source.slug] = source.path
    return sources


def resolve_import_options(owner_slug: str | None, status: str | None):
    """The owning body and status named on the command line, checked."""
    owner = None
    if owner_slug:
        owner = body_by_slug(owner_slug)
        if owner is None:
            raise ValidationError(
                _l("No body with the slug %(owner_slug)s.", owner_slug=repr(owner_slug))
            )
    if status is not None and status not in DOCUMENT_STATUSES:
        raise ValidationError(
            _l(
                "Unknown status %(status)s; use one of %(DOCUMENT_STATUSES)s.",
                status=repr(status),
                DOCUMENT_STATUSES=", ".join(DOCUMENT_STATUSES),
            )
        )
    return owner, status


def import_sources(
    sources: list[DraftSource],
    *,
    owner=None,
    status: str | None = None,
    language: str = "en",
) -> list[ImportResult]:
    """Create or update one document per source; flushes, never commits."""
    results = []
    for source in sources:
        document = db.session.scalar(select(Document).where(Document.slug == source.slug))
        if document is None:
            results.append(_create(source, owner, status, language))
        else:
            results.append(_update(document, source, owner, status))
    return results


def _message(draft: ParsedDraft) -> str:
    return f"Imported from {draft.path.name}"


def _create(source: DraftSource, owner, status, language) -> ImportResult:
    first, *rest = source.versions
    document = create_document(
        title=first.title,
        markdown=first.markdown,
        language=language,
        owner=owner,
        slug=source.slug,
        status=status or "drafting",
        cause="import",
        message=_message(first),
        source_path=str(source.path),
    )
    result = ImportResult(source.slug, "created", document, [document.current_version])
    for draft in rest:
        version = append_version(document, draft.texts, cause="import", message=_message(draft))
        if version is not None:
            result.versions.append(version)
    document.title = source.versions[-1].title
    return result


def _update(document: Document, source: DraftSource, owner, status) -> ImportResult:
    # Files up to the last one whose text some version already has are history: skip them.
    versions = db.session.scalars(
        select(Version.id).where(Version.document_id == document.id)
    ).all()
    known = {
        tuple(text for _, text in texts) for texts in texts_by_version(list(versions)).values()
    }
    start = 0
    for index, draft in enumerate(source.versions):
        if tuple(draft.texts) in known:
            start = index + 1
    result = ImportResult(source.slug, "unchanged", document)
    for draft in source.versions[start:]:
        version = append_version(document, draft.texts, cause="import", message=_message(draft))
        if version is not None:
            result.versions.append(version)
    if result.versions:
        result.action = "updated"
        document.title = source.versions[-1].title
    if owner is not None and document.owner_body_id != owner.id:
        document.owner = owner
    if status is not None:
        document.status = status
    document.source_path = str(source.path)
    return result
