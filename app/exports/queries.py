"""Exports are reads: load what the format needs, render it (no database writes)."""

from flask_babel import lazy_gettext as _l

from app.core.errors import NotFound
from app.documents import queries as document_queries
from app.documents.queries import get_version
from app.exports import content
from app.exports.formats import (
    COMPILATION_FORMATS,
    DIFF_FORMATS,
    VERSION_FORMATS,
    check_format,
    render,
)


def _current(document):
    if document.current_version is None:
        raise NotFound(_l("%(title)s has no version yet.", title=repr(document.title)))
    return document.current_version


def export_version(document, number: int | None, fmt, lang: str | None = None):
    """(bytes, mimetype, file name) of a version (default: the current one) in a language."""
    fmt = check_format(fmt, VERSION_FORMATS)
    version = get_version(document, number) if number else _current(document)
    return render(content.version_text(document, version, lang), fmt)


def export_compilation(document, fmt):
    fmt = check_format(fmt, COMPILATION_FORMATS)
    _current(document)
    return render(content.compilation_text(document), fmt)


def export_diff(document, from_arg, to_arg, fmt):
    fmt = check_format(fmt, DIFF_FORMATS)
    _current(document)
    before, after = document_queries.diff_pair(document, from_arg, to_arg)
    return render(content.diff_text(document, before, after), fmt)
