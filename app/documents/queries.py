"""Reads of documents, versions and paragraphs, each in a bounded number of queries."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.errors import NotFound, ValidationError
from app.documents.models import Document, Version, VersionParagraph
from app.extensions import db


def get_document(slug: str) -> Document:
    document = db.session.scalar(select(Document).where(Document.slug == slug))
    if document is None:
        raise NotFound(_l("No document %(slug)s.", slug=repr(slug)))
    return document


def get_version(document: Document, number: int) -> Version:
    version = db.session.scalar(
        select(Version).where(Version.document_id == document.id, Version.number == number)
    )
    if version is None:
        raise NotFound(
            _l("%(title)s has no version %(number)s.", title=repr(document.title), number=number)
        )
    return version


def list_documents() -> list[Document]:
    """Every document with its owner and current version, by title."""
    return list(
        db.session.scalars(
            select(Document)
            .options(selectinload(Document.owner), selectinload(Document.current_version))
            .order_by(Document.title, Document.id)
        )
    )


def list_versions(document: Document, newest_first: bool = True) -> list[Version]:
    order = Version.number.desc() if newest_first else Version.number
    return list(
        db.session.scalars(
            select(Version)
            .options(selectinload(Version.author))
            .where(Version.document_id == document.id)
            .order_by(order)
        )
    )


def version_paragraphs(version: Version) -> list[VersionParagraph]:
    """The paragraphs of a version in order, with the version that last changed each."""
    return list(
        db.session.scalars(
            select(VersionParagraph)
            .options(selectinload(VersionParagraph.changed_in))
            .where(VersionParagraph.version_id == version.id)
            .order_by(VersionParagraph.position)
        )
    )


def version_texts(version: Version) -> list[tuple[str, str]]:
    """(key, text) of every paragraph of a version, in order."""
    rows = db.session.execute(
        select(VersionParagraph.key, VersionParagraph.text)
        .where(VersionParagraph.version_id == version.id)
        .order_by(VersionParagraph.position)
    )
    return [(key, text) for key, text in rows]


def texts_by_version(version_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(key, text) lists of several versions in one query."""
    result: dict[int, list[tuple[str, str]]] = {vid: [] for vid in version_ids}
    if not version_ids:
        return result
    rows = db.session.execute(
        select(VersionParagraph.version_id, VersionParagraph.key, VersionParagraph.text)
        .where(VersionParagraph.version_id.in_(version_ids))
        .order_by(VersionParagraph.version_id, VersionParagraph.position)
    )
    for version_id, key, text in rows:
        result[version_id].append((key, text))
    return result


def parse_version_number(value, name: str) -> int:
    """A version number from a query parameter, or a 400 naming the parameter."""
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{1,9}", text) or int(text) < 1:
        raise ValidationError(
            _l(
                "`%(name)s` must be a version number (1, 2, ...), not %(value)s.",
                name=name,
                value=repr(str(value)[:40]),
            )
        )
    return int(text)


def diff_pair(document: Document, from_arg, to_arg) -> tuple[Version, Version]:
    """The two versions a diff compares; defaults: the previous and the current version."""
    current = document.current_version
    if current is None:
        raise NotFound(_l("%(title)s has no version yet.", title=repr(document.title)))
    to_number = parse_version_number(to_arg, "to") if to_arg not in (None, "") else current.number
    if from_arg in (None, ""):
        from_number = max(to_number - 1, 1)
    else:
        from_number = parse_version_number(from_arg, "from")
    return get_version(document, from_number), get_version(document, to_number)


def paragraph_history(document: Document, key: str) -> list[dict]:
    """Every version in which paragraph `key` appeared, changed, or disappeared, oldest first.

    Each event: version, kind (added|changed|deleted|restored), text, previous (text before),
    number (the paragraph's position + 1 in that version, None when deleted).
    """
    rows = {
        p.version_id: p
        for p in db.session.scalars(
            select(VersionParagraph).where(
                VersionParagraph.document_id == document.id, VersionParagraph.key == key
            )
        )
    }
    if not rows:
        raise NotFound(
            _l("%(title)s has no paragraph %(key)s.", title=repr(document.title), key=repr(key))
        )
    events: list[dict] = []
    previous: str | None = None
    seen = False
    for version in list_versions(document, newest_first=False):
        row = rows.get(version.id)
        text = row.text if row else None
        if text == previous:
            continue
        if text is None:
            kind = "deleted"
        elif not seen:
            kind = "added"
        elif previous is None:
            kind = "restored"
        else:
            kind = "changed"
        events.append(
            {
                "version": version,
                "kind": kind,
                "text": text,
                "previous": previous,
                "number": row.number if row else None,
            }
        )
        previous, seen = text, True
    return events


def owned_documents(body_id: int) -> list[Document]:
    """The documents a body owns, by title."""
    return list(
        db.session.scalars(
            select(Document).where(Document.owner_body_id == body_id).order_by(Document.title)
        )
    )
