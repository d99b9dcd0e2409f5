"""Creating documents and appending their immutable versions."""

import secrets
import string

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.core import signals
from app.core.errors import ValidationError
from app.core.locking import lock_rows
from app.core.slugs import slugify as core_slugify
from app.core.slugs import unique_slug as core_unique_slug
from app.documents.alignment import align_keys
from app.documents.models import DOCUMENT_STATUSES, Document, Version, VersionParagraph
from app.documents.splitting import split_paragraphs
from app.extensions import db

_KEY_ALPHABET = string.ascii_lowercase + string.digits


def new_paragraph_key() -> str:
    """A short random key: stable across versions and never confused with a paragraph number."""
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(8))


def slugify(text: str) -> str:
    return core_slugify(text, fallback="document")


def unique_slug(title: str) -> str:
    return core_unique_slug(slugify(title), Document.slug, Document.slug.type.length)


def create_document(
    *,
    title: str,
    markdown: str,
    language: str = "en",
    owner=None,
    author=None,
    slug: str | None = None,
    status: str = "drafting",
    cause: str = "create",
    message: str = "",
    source_path: str | None = None,
) -> Document:
    """Create a document with its version 1 from Markdown."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_l("A document needs a title."))
    if len(title) > 300:
        raise ValidationError(_l("A title has at most 300 characters."))
    if status not in DOCUMENT_STATUSES:
        raise ValidationError(_l("Unknown status %(status)s.", status=repr(status)))
    texts = split_paragraphs(markdown)
    if not texts:
        raise ValidationError(_l("The document has no text."))
    if slug is not None and db.session.scalar(select(Document.id).where(Document.slug == slug)):
        raise ValidationError(
            _l("A document with the slug %(slug)s already exists.", slug=repr(slug))
        )
    document = Document(
        slug=slug or unique_slug(title),
        title=title,
        language=language,
        status=status,
        owner=owner,
        source_path=source_path,
    )
    db.session.add(document)
    db.session.flush()
    append_version(document, texts, author=author, cause=cause, message=message or "First version")
    return document


def append_version(
    document: Document,
    texts: list[str],
    *,
    author=None,
    cause: str,
    message: str = "",
    keys: list[str] | None = None,
) -> Version | None:
    """Append the next version; paragraph keys are aligned with the current version.

    Returns None (and writes nothing) when the text is the same as the current version's.
    `keys` lets a caller that knows the identity of each paragraph (a merged amendment) set it.
    """
    texts = [t.strip("\n") for t in texts if t.strip()]
    if not texts:
        raise ValidationError(_l("A version needs at least one paragraph."))
    lock_rows(document)  # one new version at a time per document, numbered after the last
    current = document.current_version
    previous = current.paragraphs if current else []
    if current and [p.text for p in previous] == texts:
        return None
    if keys is None:
        keys = align_keys([(p.key, p.text) for p in previous], texts, new_paragraph_key)
    number = (
        db.session.scalar(
            select(func.max(Version.number)).where(Version.document_id == document.id)
        )
        or 0
    ) + 1
    version = Version(
        document=document,
        number=number,
        label=f"Rev.{number}",
        author=author,
        message=(message or "").strip(),
        cause=cause,
    )
    db.session.add(version)
    db.session.flush()
    before = {p.key: p for p in previous}
    for position, (key, text) in enumerate(zip(keys, texts, strict=True)):
        old = before.get(key)
        changed_in = (
            old.changed_in_version_id if old is not None and old.text == text else version.id
        )
        version.paragraphs.append(
            VersionParagraph(
                document_id=document.id,
                position=position,
                key=key,
                text=text,
                changed_in_version_id=changed_in,
            )
        )
    document.current_version = version
    db.session.flush()
    signals.version_created.send(document, version=version, previous=current)
    return version


def update_document(
    document: Document, *, status: str | None = None, owner=None, change_owner: bool = False
) -> Document:
    """Change a document's status and/or owning body (`change_owner` allows setting None)."""
    if status is not None:
        if status not in DOCUMENT_STATUSES:
            raise ValidationError(
                _l(
                    "Unknown status %(status)s; use one of %(DOCUMENT_STATUSES)s.",
                    status=repr(status),
                    DOCUMENT_STATUSES=", ".join(DOCUMENT_STATUSES),
                )
            )
        document.status = status
    if change_owner:
        document.owner = owner
    db.session.flush()
    return document
