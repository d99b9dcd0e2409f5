"""Extension points of the document pages, so other domains add to them without editing them.

Other domains register at import time (in their package's __init__ or services module):

* `document_tab(endpoint, label, order)`: a tab in the document's navigation; the endpoint
  takes `slug=`.
* `paragraph_panel(template)`: a template included under every paragraph of the document
  page, with `document`, `version`, `paragraph` (a VersionParagraph) and everything the
  context providers returned in scope.
* `document_panel(template)`: a template included in the document page's header area.
* `context_provider(func)`: `func(document, version, lang) -> dict`, merged into the
  document page's template context (for instance pending amendments by paragraph key).
  It must run a bounded number of queries, not one per paragraph.
* `localizer(func)`: the paragraphs of a language view (see `localize` below).
* `language_lister(func)`: `func(document) -> list[str]`, languages besides the source.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.core.errors import NotFound
from app.core.languages import direction_of


@dataclass(frozen=True)
class Tab:
    endpoint: str
    label: str
    order: int


TABS: list[Tab] = []
PARAGRAPH_PANELS: list[str] = []
DOCUMENT_PANELS: list[str] = []
CONTEXT_PROVIDERS: list = []


def document_tab(endpoint: str, label: str, order: int = 50) -> None:
    if all(tab.endpoint != endpoint for tab in TABS):
        TABS.append(Tab(endpoint, label, order))
        TABS.sort(key=lambda tab: tab.order)


def paragraph_panel(template: str) -> None:
    if template not in PARAGRAPH_PANELS:
        PARAGRAPH_PANELS.append(template)


def document_panel(template: str) -> None:
    if template not in DOCUMENT_PANELS:
        DOCUMENT_PANELS.append(template)


def context_provider(func):
    if func not in CONTEXT_PROVIDERS:
        CONTEXT_PROVIDERS.append(func)
    return func


def page_context(document, version, lang=None) -> dict:
    """Everything the registered providers contribute to a document page."""
    context: dict = {}
    for provider in CONTEXT_PROVIDERS:
        context.update(provider(document, version, lang) or {})
    return context


# Language views: the translations domain registers one function
#   localize(document, version, lang, paragraphs) -> list[dict]
# where `paragraphs` is a list of {"key", "text", "html"} in the source language and the result
# is the same list with, per paragraph, "text"/"html" in `lang` where an up-to-date translation
# exists, plus "state" (missing|translated|outdated|reviewed), "lang" (BCP 47) and "dir"
# ("ltr"|"rtl"). It raises app.core.errors.NotFound for a language the document does not have.
LOCALIZERS: list = []


def localizer(func):
    if func not in LOCALIZERS:
        LOCALIZERS.append(func)
    return func


def localize(document, version, lang, paragraphs: list[dict]) -> list[dict]:
    """Paragraphs in `lang`; the source language (or no lang) returns them unchanged."""
    if not lang or lang == document.language:
        source_dir = direction_of(document.language)
        return [
            {**p, "state": "source", "lang": document.language, "dir": source_dir}
            for p in paragraphs
        ]
    if not LOCALIZERS:
        raise NotFound(_l("This document has no %(lang)s version.", lang=repr(lang)))
    return LOCALIZERS[0](document, version, lang, paragraphs)


# Languages of a document: the translations domain registers
#   language_lister(func(document) -> list[str])
# returning the languages (BCP 47) the document has besides its source language.
LANGUAGE_LISTERS: list = []


def language_lister(func):
    if func not in LANGUAGE_LISTERS:
        LANGUAGE_LISTERS.append(func)
    return func


def languages(document) -> list[str]:
    """The document's languages: its source language first, then those the listers add."""
    result = [document.language]
    for lister in LANGUAGE_LISTERS:
        for lang in lister(document) or ():
            if lang and lang not in result:
                result.append(lang)
    return result
