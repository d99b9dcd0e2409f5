"""Reads: language versions, aligned paragraphs with their derived state, progress in SQL."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased, selectinload

from app.core.errors import NotFound
from app.documents.models import Document, VersionParagraph
from app.extensions import db
from app.translations.languages import Language, language, normalize_tag
from app.translations.models import DocumentLanguage, Translation, TranslationRevision

STATE_ORDER = ("reviewed", "translated", "outdated", "missing")


def state_expression(paragraph_text, translation=Translation):
    """The state of a translation against a source paragraph's text, as SQL."""
    return case(
        (translation.id.is_(None), "missing"),
        (translation.source_text != paragraph_text, "outdated"),
        (translation.reviewed_at.is_not(None), "reviewed"),
        else_="translated",
    )


def _translation_join(document_id_column, lang_column):
    return and_(
        Translation.document_id == document_id_column,
        Translation.lang == lang_column,
        Translation.key == VersionParagraph.key,
    )


def document_languages(document: Document) -> list[str]:
    """Tags of the document's language versions, in the order they were added."""
    return list(
        db.session.scalars(
            select(DocumentLanguage.lang)
            .where(DocumentLanguage.document_id == document.id)
            .order_by(DocumentLanguage.created_at, DocumentLanguage.id)
        )
    )


def get_language_version(document: Document, lang: str) -> Language:
    """The document's language version `lang` (normalised), or 404 naming what exists."""
    tag = normalize_tag(lang)
    exists = db.session.scalar(
        select(DocumentLanguage.id).where(
            DocumentLanguage.document_id == document.id,
            DocumentLanguage.lang == tag,
        )
    )
    if exists is None:
        have = ", ".join(document_languages(document)) or "none yet"
        raise NotFound(
            _l(
                "%(title)s has no %(name)s (%(tag)s) version (languages: %(have)s).",
                title=repr(document.title),
                name=language(tag).name,
                tag=tag,
                have=have,
            )
        )
    return language(tag)


@dataclass
class Progress:
    document_id: int
    lang: str
    total: int
    counts: dict = field(default_factory=dict)

    @property
    def language(self) -> Language:
        return language(self.lang)

    def percent(self, state: str) -> float:
        return round(100 * self.counts.get(state, 0) / self.total, 1) if self.total else 0.0

    @property
    def segments(self) -> list[tuple[str, int, float]]:
        return [(state, self.counts.get(state, 0), self.percent(state)) for state in STATE_ORDER]

    def as_dict(self) -> dict:
        return {
            "lang": self.lang,
            "name": self.language.name,
            "dir": self.language.dir,
            "total": self.total,
            **{
                state: {"count": self.counts.get(state, 0), "percent": self.percent(state)}
                for state in STATE_ORDER
            },
        }


def progress(document_ids: list[int] | None = None) -> list[Progress]:
    """Per (document, language): paragraph counts per state, in one grouped query."""
    paragraph_text = VersionParagraph.text
    state = state_expression(paragraph_text)
    columns = [func.sum(case((state == name, 1), else_=0)).label(name) for name in STATE_ORDER]
    query = (
        select(
            DocumentLanguage.document_id,
            DocumentLanguage.lang,
            func.count(VersionParagraph.id).label("total"),
            *columns,
        )
        .join(Document, Document.id == DocumentLanguage.document_id)
        .join(VersionParagraph, VersionParagraph.version_id == Document.current_version_id)
        .outerjoin(
            Translation, _translation_join(DocumentLanguage.document_id, DocumentLanguage.lang)
        )
        .group_by(DocumentLanguage.document_id, DocumentLanguage.lang, DocumentLanguage.id)
        .order_by(DocumentLanguage.document_id, DocumentLanguage.id)
    )
    if document_ids is not None:
        query = query.where(DocumentLanguage.document_id.in_(document_ids))
    return [
        Progress(
            row.document_id,
            row.lang,
            int(row.total),
            {name: int(getattr(row, name) or 0) for name in STATE_ORDER},
        )
        for row in db.session.execute(query)
    ]


def document_progress(document: Document) -> list[Progress]:
    return progress([document.id])


def language_progress(document: Document, lang: str) -> Progress:
    for item in progress([document.id]):
        if item.lang == lang:
            return item
    return Progress(document.id, lang, 0, {})


@dataclass
class AlignedParagraph:
    key: str
    position: int
    source: str
    state: str
    translation: Translation | None

    @property
    def number(self) -> int:
        return self.position + 1


def aligned_paragraphs(document: Document, lang: str) -> list[AlignedParagraph]:
    """The current version's paragraphs beside their translation into `lang`, with state."""
    query = (
        select(
            VersionParagraph.key,
            VersionParagraph.position,
            VersionParagraph.text,
            Translation,
            state_expression(VersionParagraph.text).label("state"),
        )
        .outerjoin(Translation, _translation_join(document.id, lang))
        .where(VersionParagraph.version_id == document.current_version_id)
        .order_by(VersionParagraph.position)
        .options(selectinload(Translation.translator), selectinload(Translation.reviewer))
    )
    return [
        AlignedParagraph(row.key, row.position, row.text, row.state, row.Translation)
        for row in db.session.execute(query)
    ]


def get_translation(document: Document, lang: str, key: str) -> Translation | None:
    return db.session.scalar(
        select(Translation).where(
            Translation.document_id == document.id,
            Translation.lang == lang,
            Translation.key == key,
        )
    )


def current_source_text(document: Document, key: str) -> str:
    """The text of paragraph `key` in the current version, or 404."""
    text = db.session.scalar(
        select(VersionParagraph.text).where(
            VersionParagraph.version_id == document.current_version_id,
            VersionParagraph.key == key,
        )
    )
    if text is None:
        raise NotFound(
            _l(
                "The current version of %(title)s has no paragraph %(key)s.",
                title=repr(document.title),
                key=repr(key),
            )
        )
    return text


def version_translations(document: Document, version, lang: str) -> dict[str, tuple[str, str]]:
    """For a version's paragraphs: key -> (translated text, state) wherever a translation exists.

    The current translation counts when it translates exactly that version's text; otherwise the
    latest revision that did is used; failing that the current translation is shown as outdated.
    """
    current = dict(
        db.session.execute(
            select(VersionParagraph.key, Translation)
            .join(Translation, _translation_join(document.id, lang))
            .where(VersionParagraph.version_id == version.id)
        ).all()
    )
    paragraph = aliased(VersionParagraph)
    matching = db.session.execute(
        select(Translation.key, TranslationRevision.text)
        .join(TranslationRevision, TranslationRevision.translation_id == Translation.id)
        .join(
            paragraph,
            and_(
                paragraph.version_id == version.id,
                paragraph.key == Translation.key,
                paragraph.text == TranslationRevision.source_text,
            ),
        )
        .where(Translation.document_id == document.id, Translation.lang == lang)
        .order_by(TranslationRevision.version)
    ).all()
    from_history = dict(matching)  # the latest matching revision per key wins
    texts = dict(
        db.session.execute(
            select(VersionParagraph.key, VersionParagraph.text).where(
                VersionParagraph.version_id == version.id
            )
        ).all()
    )
    result: dict[str, tuple[str, str]] = {}
    for key, translation in current.items():
        if translation.source_text == texts.get(key):
            result[key] = (
                translation.text,
                "reviewed" if translation.reviewed_at else "translated",
            )
        elif key in from_history:
            result[key] = (from_history[key], "translated")
        else:
            result[key] = (translation.text, "outdated")
    return result


def history(translation: Translation) -> list[TranslationRevision]:
    return list(
        db.session.scalars(
            select(TranslationRevision)
            .where(TranslationRevision.translation_id == translation.id)
            .order_by(TranslationRevision.version.desc())
            .options(selectinload(TranslationRevision.author))
        )
    )
