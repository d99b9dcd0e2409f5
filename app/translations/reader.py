"""What the translations domain adds to document pages, the documents API and the feed."""

from flask_babel import lazy_gettext as _l

from app.core.errors import ValidationError
from app.core.markdown import render_markdown
from app.documents import hooks
from app.translations.languages import direction, language, normalize_tag, safe_tag, same_language
from app.translations.queries import (
    document_languages,
    document_progress,
    get_language_version,
    version_translations,
)


@hooks.localizer
def localize(document, version, lang, paragraphs: list[dict]) -> list[dict]:
    """Paragraphs in `lang`: an up-to-date translation, else the source (missing) or the old one."""
    source_lang = document.language
    source_dir = direction(safe_tag(source_lang))
    if same_language(lang, source_lang):
        return [
            {**p, "state": "source", "lang": source_lang, "dir": source_dir} for p in paragraphs
        ]
    tag = get_language_version(document, lang).tag
    target_dir = direction(tag)
    translated = version_translations(document, version, tag)
    result = []
    for paragraph in paragraphs:
        found = translated.get(paragraph["key"])
        if found is None:
            result.append({**paragraph, "state": "missing", "lang": source_lang, "dir": source_dir})
            continue
        text, state = found
        result.append(
            {
                **paragraph,
                "text": text,
                "html": render_markdown(text),
                "state": state,
                "lang": tag,
                "dir": target_dir,
            }
        )
    return result


if hasattr(hooks, "language_lister"):

    @hooks.language_lister
    def list_languages(document) -> list[str]:
        return document_languages(document)


@hooks.context_provider
def translation_context(document, version, lang) -> dict:
    """Languages and progress for the document page's language switcher and progress panel."""
    try:
        current = normalize_tag(lang) if lang else document.language
    except ValidationError:
        current = document.language
    progress = document_progress(document)
    return {
        "translation_source": language(safe_tag(document.language)),
        "translation_languages": [language(item.lang) for item in progress],
        "translation_progress": progress,
        "translation_current_lang": current,
    }


hooks.document_panel("translations/_document_panel.html")
hooks.document_tab("translations.document", _l("Translations"), 60)
