"""Demo data of live drafts: the working draft of each open sample document, at rev 0."""

import pathlib

from sqlalchemy import select

from app.coedit.services import get_or_create_live_text
from app.documents.models import Document
from app.extensions import db


def load_demo(drafts_dir: pathlib.Path) -> None:
    """Start the working drafts of documents open for drafting; the rest come into being when someone joins their live channel or publishes."""
    for document in db.session.scalars(
        select(Document).where(Document.status.in_(("drafting", "open")))
    ):
        get_or_create_live_text(document, document.language)
