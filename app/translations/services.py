"""Changing translations: language versions, optimistic saves, reviews. Never commits."""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.core import signals
from app.core.errors import Conflict, Forbidden, ValidationError
from app.core.locking import insert_unique
from app.core.timeutil import utcnow
from app.documents.models import Document, VersionParagraph
from app.documents.permissions import can_translate
from app.extensions import db
from app.translations.languages import language, normalize_tag, same_language
from app.translations.models import DocumentLanguage, Translation, TranslationRevision
from app.translations.queries import current_source_text, get_language_version, get_translation

log = logging.getLogger(__name__)

MAX_TRANSLATION_TEXT = 20_000


def require_translator(user, document: Document) -> None:
    if not can_translate(user, document):
        raise Forbidden(
            _l("Only members of the translation team and administrators can translate.")
        )


def add_language(document: Document, lang: str, user) -> DocumentLanguage:
    """Add a language version of the document."""
    require_translator(user, document)
    tag = normalize_tag(lang)
    if same_language(tag, document.language):
        raise ValidationError(
            _l(
                "%(name)s is the source language of %(title)s.",
                name=language(tag).name,
                title=repr(document.title),
            )
        )
    existing = db.session.scalar(
        select(DocumentLanguage).where(
            DocumentLanguage.document_id == document.id,
            DocumentLanguage.lang == tag,
        )
    )
    already = Conflict(
        _l(
            "%(title)s already has a %(name)s version.",
            title=repr(document.title),
            name=language(tag).name,
        )
    )
    if existing is not None:
        raise already
    added = DocumentLanguage(document_id=document.id, lang=tag, added_by_id=user.id)
    insert_unique(already, added)
    log.info("language %s added to %s by user %s", tag, document.slug, user.id)
    return added


def _clean_text(text) -> str:
    if not isinstance(text, str):
        raise ValidationError(_l("The translation must be text."))
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        raise ValidationError(_l("A translation cannot be empty."))
    if len(text) > MAX_TRANSLATION_TEXT:
        raise ValidationError(
            _l(
                "A translated paragraph has at most %(MAX_TRANSLATION_TEXT)s characters.",
                MAX_TRANSLATION_TEXT=MAX_TRANSLATION_TEXT,
            )
        )
    return text


def _expected(version) -> int | None:
    if version is None or version == "":
        return None
    try:
        value = int(version)
    except (TypeError, ValueError):
        raise ValidationError(_l("The translation version must be a whole number.")) from None
    if value < 0:
        raise ValidationError(_l("The translation version must be a whole number."))
    return value


def _conflict(translation: Translation, text: str) -> Conflict:
    who = translation.translator.name if translation.translator else "someone"
    return Conflict(
        _l(
            "%(who)s changed this translation while you were editing it. Compare both texts, then save again.",
            who=who,
        ),
        details={
            "current": {
                "text": translation.text,
                "version": translation.version,
                "source_text": translation.source_text,
            },
            "yours": {"text": text},
        },
    )


def _record(translation: Translation, user, origin: str) -> None:
    db.session.add(
        TranslationRevision(
            translation=translation,
            version=translation.version,
            text=translation.text,
            source_text=translation.source_text,
            author_id=user.id if user else None,
            origin=origin,
        )
    )


def save_translation(
    document: Document,
    lang: str,
    key: str,
    text,
    user,
    *,
    expected_version=None,
    origin: str = "edit",
    check_permission: bool = True,
    require_version: bool = False,
) -> tuple[Translation, bool]:
    """Save the translation of paragraph `key`; returns (translation, changed).

    `expected_version` is the version the editor started from (0 for a new translation); a
    mismatch means someone else saved meanwhile and is refused with both texts. With
    `require_version`, overwriting an existing translation without saying which version one
    edited is refused too (API clients). Saving the same
    text against a changed source confirms it: it translates today's source from then on.
    """
    if check_permission:
        require_translator(user, document)
    tag = get_language_version(document, lang).tag
    source = current_source_text(document, key)
    text = _clean_text(text)
    expected = _expected(expected_version)
    translation = db.session.scalar(
        select(Translation)
        .where(
            Translation.document_id == document.id,
            Translation.lang == tag,
            Translation.key == key,
        )
        .with_for_update()
    )
    if translation is None:
        if expected not in (None, 0):
            raise Conflict(_l("This translation no longer exists in the version you edited."))
        translation = Translation(
            document_id=document.id,
            lang=tag,
            key=key,
            text=text,
            source_text=source,
            translator_id=user.id,
            version=1,
            updated_at=utcnow(),
        )
        insert_unique(
            Conflict(
                _l(
                    "Someone else saved a translation of this paragraph at the same moment; reload it."
                )
            ),
            translation,
        )
        _record(translation, user, origin)
        db.session.flush()
        signals.translation_saved.send(translation, actor=user)
        return translation, True
    if expected is None and require_version:
        raise Conflict(
            _l(
                'This paragraph is already translated (version %(version)s). Send the "version" you edited, so that a change made meanwhile is not overwritten.',
                version=translation.version,
            ),
            code="version_required",
            details={"current": {"text": translation.text, "version": translation.version}},
        )
    if expected is not None and expected != translation.version:
        raise _conflict(translation, text)
    if translation.text == text and translation.source_text == source:
        return translation, False
    # The write itself is conditional on the version read above, so that two workers that both
    # read it (SQLite has no row locks) cannot both win: the second changes no row and gets 409.
    read_version = translation.version
    result = db.session.execute(
        update(Translation)
        .where(Translation.id == translation.id, Translation.version == read_version)
        .values(
            text=text,
            source_text=source,
            translator_id=user.id,
            reviewer_id=None,
            reviewed_at=None,
            version=read_version + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(translation)
    if result.rowcount != 1:
        raise _conflict(translation, text)
    _record(translation, user, origin)
    db.session.flush()
    signals.translation_saved.send(translation, actor=user)
    return translation, True


def review_translation(
    document: Document, lang: str, key: str, user, *, expected_version=None
) -> Translation:
    """Confirm a translation as a second translator; never one's own."""
    require_translator(user, document)
    tag = get_language_version(document, lang).tag
    source = current_source_text(document, key)
    translation = get_translation(document, tag, key)
    if translation is None:
        raise ValidationError(_l("There is no translation of this paragraph to review yet."))
    expected = _expected(expected_version)
    if expected is not None and expected != translation.version:
        raise _conflict(translation, translation.text)
    if translation.translator_id == user.id:
        raise Forbidden(_l("You cannot review your own translation; another translator must."))
    if translation.source_text != source:
        raise ValidationError(
            _l("The source changed since this translation was made: update the translation first.")
        )
    if translation.reviewed_at is None:
        translation.reviewer_id = user.id
        translation.reviewed_at = utcnow()
        db.session.flush()
    return translation


@signals.version_created.connect
def _log_outdated(document, version=None, previous=None, **_):
    """Log how many translations the new version made outdated (their state is derived in SQL)."""
    if previous is None or version is None:
        return
    outdated = db.session.scalar(
        select(func.count(Translation.id))
        .join(
            VersionParagraph,
            (VersionParagraph.key == Translation.key) & (VersionParagraph.version_id == version.id),
        )
        .where(
            Translation.document_id == document.id, Translation.source_text != VersionParagraph.text
        )
    )
    if outdated:
        log.info(
            "%s %s: %d translated paragraphs are now outdated",
            document.slug,
            version.label,
            outdated,
        )
