"""Public pages of a document: text, versions, diffs, paragraph history and the Atom feed."""

import re

from flask import Response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from app.core.errors import NotFound, ValidationError
from app.core.languages import direction_of, standard_tag
from app.core.markdown import render_markdown
from app.documents import bp, hooks, queries
from app.documents.diffing import diff_paragraphs, fold_quiet, is_quiet, summarize
from app.documents.feeds import atom_feed
from app.documents.queries import get_document, get_version
from app.i18n.locale import interface_language

hooks.document_tab("documents.show", _l("Text"), 10)
hooks.document_tab("documents.versions", _l("History"), 20)
hooks.document_tab("documents.diff", _l("Diff"), 30)


_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}")
DIFF_MODES = {"inline": _l("Inline"), "side": _l("Side by side")}
FEED_SIZE = 50


def parse_lang(value: str | None) -> str | None:
    """The `lang` query parameter: empty means the source language; junk is a 400."""
    value = (value or "").strip()
    if not value:
        return None
    if not _LANG.fullmatch(value):
        raise ValidationError(
            _l(
                "`lang` must be a language tag such as fr or pt-BR, not %(value)s.",
                value=repr(value[:40]),
            )
        )
    return standard_tag(value)


def check_lang(document, lang: str | None) -> str | None:
    """`lang` if the document has it (None for its source language), else a 404."""
    if not lang or lang == document.language:
        return None
    if lang not in hooks.languages(document):
        raise NotFound(
            _l("%(title)s has no %(lang)s version.", title=repr(document.title), lang=repr(lang))
        )
    return lang


@bp.app_template_global("document_languages")
def _document_languages(document) -> list[str]:
    """The document's languages, source first, for the language switcher partial."""
    return hooks.languages(document)


@bp.app_template_global("direction_of")
def _direction_of(tag) -> str:
    return direction_of(tag)


def render_paragraphs(document, version, lang):
    """Paragraph rows (VersionParagraph, localized dict) of a version in `lang`."""
    rows = queries.version_paragraphs(version)
    items = [{"key": p.key, "text": p.text, "html": render_markdown(p.text)} for p in rows]
    return list(zip(rows, hooks.localize(document, version, lang, items), strict=True))


def _shell(document, **context):
    """Context every document page shares: tabs, languages, header."""
    return {
        "document": document,
        "tabs": hooks.TABS,
        "languages": hooks.languages(document),
        **context,
    }


def _current(document):
    if document.current_version is None:
        raise NotFound(_l("%(title)s has no version yet.", title=repr(document.title)))
    return document.current_version


def content_lang(document) -> str | None:
    """`?lang=` when given (the source language or empty: the source text); without it, the
    interface language when the document has a version in it, else the source."""
    if "lang" in request.args:
        lang = parse_lang(request.args.get("lang"))
    else:
        lang = interface_language()
        if lang not in hooks.languages(document):
            return None
    return None if lang == document.language else lang


def _render_text(document, version, *, is_current: bool):
    lang = content_lang(document)
    paragraphs = render_paragraphs(document, version, lang)
    extra = hooks.page_context(document, version, lang)
    text_lang = lang or document.language
    return render_template(
        "documents/show.html",
        **_shell(document, **extra),
        version=version,
        paragraphs=paragraphs,
        lang=lang,
        text_lang=text_lang,
        text_dir=direction_of(text_lang),
        is_current=is_current,
        paragraph_panels=hooks.PARAGRAPH_PANELS if is_current else [],
        document_panels=hooks.DOCUMENT_PANELS if is_current else [],
    )


@bp.route("/documents/<slug>")
def show(slug):
    document = get_document(slug)
    return _render_text(document, _current(document), is_current=True)


@bp.route("/documents/<slug>/versions")
def versions(slug):
    document = get_document(slug)
    lang = check_lang(document, parse_lang(request.args.get("lang")))
    return render_template(
        "documents/versions.html",
        **_shell(document),
        versions=queries.list_versions(document),
        lang=lang,
    )


@bp.route("/documents/<slug>/versions/<int:number>")
def version(slug, number):
    document = get_document(slug)
    chosen = get_version(document, number)
    if chosen.id == document.current_version_id:
        # The current version's page is the document's own; its links are built for that URL.
        lang = request.args.get("lang")
        return redirect(url_for("documents.show", slug=document.slug, lang=lang or None))
    return _render_text(document, chosen, is_current=False)


@bp.route("/documents/<slug>/diff")
def diff(slug):
    document = get_document(slug)
    _current(document)
    mode = request.args.get("mode") or "inline"
    if mode not in DIFF_MODES:
        raise ValidationError(
            _l("`mode` must be inline or side, not %(mode)s.", mode=repr(mode[:40]))
        )
    before, after = queries.diff_pair(document, request.args.get("from"), request.args.get("to"))
    entries = diff_paragraphs(queries.version_texts(before), queries.version_texts(after))
    return render_template(
        "documents/diff.html",
        **_shell(document),
        before=before,
        after=after,
        entries=entries,
        runs=fold_quiet(entries),
        is_quiet=is_quiet,
        counts=summarize(entries),
        mode=mode,
        modes=DIFF_MODES,
        versions=queries.list_versions(document),
    )


@bp.route("/documents/<slug>/paragraphs/<key>")
def paragraph_history(slug, key):
    document = get_document(slug)
    events = queries.paragraph_history(document, key)
    current = next(
        (p for p in queries.version_paragraphs(_current(document)) if p.key == key), None
    )
    return render_template(
        "documents/paragraph_history.html",
        **_shell(document),
        key=key,
        events=list(reversed(events)),
        current=current,
    )


@bp.route("/documents/<slug>/feed.atom")
def feed(slug):
    document = get_document(slug)
    lang = check_lang(document, parse_lang(request.args.get("lang")))
    versions = queries.list_versions(document)[:FEED_SIZE]
    ids = [v.id for v in versions]
    previous = {}
    for index, v in enumerate(versions):
        if index + 1 < len(versions) and versions[index + 1].number == v.number - 1:
            previous[v.id] = versions[index + 1]
    # The version just before the oldest one shown, so that its entry has a diff too.
    if versions and versions[-1].number > 1:
        older = get_version(document, versions[-1].number - 1)
        previous[versions[-1].id] = older
        ids.append(older.id)
    texts = queries.texts_by_version(ids)
    entries = []
    for v in versions:
        before = previous.get(v.id)
        counts = summarize(diff_paragraphs(texts[before.id], texts[v.id])) if before else None
        link = (
            url_for(
                "documents.diff", slug=slug, to=v.number, _external=True, **{"from": before.number}
            )
            if before and not lang
            # In a language, the entry opens that version's text in the language.
            else url_for("documents.version", slug=slug, number=v.number, lang=lang, _external=True)
        )
        entries.append(
            {"version": v, "counts": counts, "link": link, "paragraphs": len(texts[v.id])}
        )
    body = atom_feed(
        document,
        entries,
        self_url=url_for("documents.feed", slug=slug, lang=lang, _external=True),
        page_url=url_for("documents.show", slug=slug, lang=lang, _external=True),
        lang=lang or document.language,
    )
    return Response(body, mimetype="application/atom+xml")
