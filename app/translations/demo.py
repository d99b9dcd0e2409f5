"""Demo content: partial French and Arabic versions of the Best Practice document.

drafts/translations/<slug>.<lang>.md translate the first paragraphs of VERSION 1 of the document,
in order. Each translation records the version 1 text it translates, so paragraphs that version 2
changed show as outdated, as they would have in real use.
"""

import logging
import pathlib

from sqlalchemy import select

from app.accounts.models import User
from app.core.timeutil import utcnow
from app.documents.models import Document, Version
from app.documents.splitting import split_paragraphs
from app.extensions import db
from app.translations.models import DocumentLanguage, Translation, TranslationRevision

log = logging.getLogger(__name__)

SLUG = "best-practice"
# language -> (translator, reviewer, how many of the first paragraphs the reviewer confirms)
PLAN = {
    "fr": ("sophie@example.org", "karim@example.org", 3),
    "ar": ("karim@example.org", "sophie@example.org", 2),
}


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def load_demo(drafts_dir: pathlib.Path) -> None:
    document = db.session.scalar(select(Document).where(Document.slug == SLUG))
    if document is None or document.current_version is None:
        log.info("translations demo: no %r document, skipped", SLUG)
        return
    first = db.session.scalar(
        select(Version).where(Version.document_id == document.id, Version.number == 1)
    )
    current = {p.key: p.text for p in document.current_version.paragraphs}
    for lang, (translator_email, reviewer_email, reviewed) in PLAN.items():
        path = pathlib.Path(drafts_dir) / "translations" / f"{SLUG}.{lang}.md"
        translator, reviewer = _user(translator_email), _user(reviewer_email)
        if not path.is_file() or translator is None:
            log.info(
                "translations demo: %s or %s missing, %s skipped", path, translator_email, lang
            )
            continue
        _load_language(document, first, current, lang, path, translator, reviewer, reviewed)


def _load_language(document, first, current, lang, path, translator, reviewer, reviewed) -> None:
    db.session.add(DocumentLanguage(document_id=document.id, lang=lang, added_by_id=translator.id))
    texts = split_paragraphs(path.read_text(encoding="utf-8"))
    confirmed = 0
    for paragraph, text in zip(first.paragraphs, texts, strict=False):
        if paragraph.key not in current:
            continue  # the paragraph was deleted since version 1
        translation = Translation(
            document_id=document.id,
            lang=lang,
            key=paragraph.key,
            text=text,
            source_text=paragraph.text,
            translator_id=translator.id,
            version=1,
        )
        # The first paragraphs still up to date get a second translator's review.
        if (
            reviewer is not None
            and confirmed < reviewed
            and current[paragraph.key] == paragraph.text
        ):
            translation.reviewer_id = reviewer.id
            translation.reviewed_at = utcnow()
            confirmed += 1
        db.session.add(translation)
        db.session.add(
            TranslationRevision(
                translation=translation,
                version=1,
                text=text,
                source_text=paragraph.text,
                author_id=translator.id,
                origin="import",
            )
        )
    db.session.flush()
    log.info("translations demo: %s version of %s loaded", lang, document.slug)
