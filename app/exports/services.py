"""Imports: a Word or Markdown file as a new document, as the next version of one, or, for a
DOCX with Word's tracked changes, as amendments. Nothing here commits: an import is all or
nothing because the caller commits once, or rolls back on the first refusal.
"""

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.amendments.services import propose_amendment
from app.core.errors import Forbidden, ValidationError
from app.documents.importing import parse_draft
from app.documents.models import join_paragraphs
from app.documents.permissions import can_manage, is_admin
from app.documents.services import append_version, create_document, new_paragraph_key
from app.documents.splitting import title_of
from app.exports.blocks import HEADING, Block, parse_block, to_markdown
from app.exports.content import parse_identifier
from app.exports.docx_in import SKIPPED_STYLES, WordFile, read_docx

MARKDOWN_SUFFIXES = (".md", ".markdown", ".txt")


@dataclass
class Upload:
    """An upload as paragraphs: (key or None, Markdown) in the text with changes accepted."""

    paragraphs: list[tuple[str | None, str]]
    title: str | None
    origin: tuple[str, int, str] | None = None  # (slug, version, language) of an export of ours
    word: WordFile | None = None


@dataclass
class Proposal:
    """One amendment an upload will propose; `number` is the paragraph's place, for people."""

    kind: str
    paragraph: str | None  # modify/delete: the key; insert: the key it follows (None: start)
    text: str
    base: str
    rationale: str
    number: int | None


def _limits() -> dict:
    return {
        "max_bytes": current_app.config["IMPORT_MAX_BYTES"],
        "max_unpacked": current_app.config["IMPORT_MAX_UNPACKED"],
    }


def _markdown_of(block: Block, key: str | None, known: dict[str, str]) -> str:
    """The stored Markdown when Word kept the paragraph as it was, else Markdown from Word."""
    stored = known.get(key) if key else None
    if stored is not None and parse_block(stored).signature() == block.signature():
        return stored
    return to_markdown(block)


def _word_view(word: WordFile, view: str, known: dict[str, str], ours: bool):
    result = []
    for paragraph in word.paragraphs:
        block = paragraph.accepted if view == "accepted" else paragraph.original
        if view == "accepted" and paragraph.deleted and not block.text.strip():
            continue
        if view == "original" and paragraph.inserted and not block.text.strip():
            continue
        if not block.text.strip():
            continue
        if paragraph.key is None and paragraph.style.lower() in SKIPPED_STYLES:
            if ours:  # our own front matter: the title and version line
                continue
            block = Block(HEADING, 1, "", block.runs)
        result.append((paragraph.key, _markdown_of(block, paragraph.key, known), paragraph))
    return result


def read_upload(filename: str, data: bytes, known: dict[str, str] | None = None) -> Upload:
    """Parse an uploaded DOCX or Markdown file; refusals are ValidationErrors (400)."""
    known = known or {}
    name = (filename or "").lower()
    if not data:
        raise ValidationError(_l("The file is empty."), code="empty_file")
    if name.endswith(".docm"):
        raise ValidationError(
            _l("Macro-enabled Word files (.docm) are refused: save it as a plain .docx."),
            code="macro_docx",
        )
    if name.endswith(MARKDOWN_SUFFIXES):
        if len(data) > current_app.config["IMPORT_MAX_BYTES"]:
            raise ValidationError(_l("The file is too large."), code="too_large")
        draft = parse_draft(data, Path(filename))
        return Upload([(None, text) for text in draft.texts], draft.title)
    word = read_docx(data, **_limits())
    origin = parse_identifier(word.identifier)
    paragraphs = [(k, t) for k, t, _ in _word_view(word, "accepted", known, origin is not None)]
    if not paragraphs:
        raise ValidationError(_l("The Word file has no paragraphs of text."), code="no_paragraphs")
    title = word.title or title_of(join_paragraphs(t for _, t in paragraphs))
    return Upload(paragraphs, title, origin, word)


def import_document(user, filename: str, data: bytes, *, title: str = "", owner=None):
    """A new document from an upload (administrators)."""
    if not is_admin(user):
        raise Forbidden(_l("Only administrators create documents."))
    upload = read_upload(filename, data)
    title = (title or upload.title or "").strip()
    if not title:
        raise ValidationError(
            _l("Give the document a title: the file has no title or first heading."),
            code="title_required",
        )
    return create_document(
        title=title,
        markdown=join_paragraphs(t for _, t in upload.paragraphs),
        language=upload.origin[2] if upload.origin else "en",
        owner=owner,
        author=user,
        cause="import",
        message=f"Imported from {Path(filename).name}"[:200],
    )


def _current_texts(document) -> dict[str, str]:
    version = document.current_version
    return {p.key: p.text for p in version.paragraphs} if version else {}


def _check_origin(document, upload: Upload) -> None:
    if upload.origin and upload.origin[0] != document.slug:
        raise ValidationError(
            _l(
                "This Word file was exported from another document (%(origin)s), not from %(title)s.",
                origin=repr(upload.origin[0]),
                title=repr(document.title),
            ),
            code="wrong_document",
        )
    if upload.origin and upload.origin[2] != document.language:
        raise ValidationError(
            _l(
                "This Word file is the %(origin)s language version; versions and amendments are made to the source text (%(language)s).",
                origin=upload.origin[2],
                language=document.language,
            ),
            code="wrong_language",
        )


def import_version(document, user, filename: str, data: bytes, *, message: str = ""):
    """The next version from an upload, keys from the file's bookmarks; None when unchanged."""
    if not can_manage(user, document):
        raise Forbidden(
            _l(
                "Only coordinators of the body that owns this document and administrators import versions."
            )
        )
    upload = read_upload(filename, data, _current_texts(document))
    _check_origin(document, upload)
    texts = [t for _, t in upload.paragraphs]
    keys = None
    if upload.origin:  # our own export: the bookmarks say which paragraph is which
        keys, seen = [], set()
        for key, _ in upload.paragraphs:
            key = key if key and key not in seen else new_paragraph_key()
            seen.add(key)
            keys.append(key)
    return append_version(
        document,
        texts,
        author=user,
        cause="import",
        message=message or f"Imported from {Path(filename).name}"[:200],
        keys=keys,
    )


# --- Word's tracked changes as amendments ----------------------------------------------------


def plan_amendments(document, filename: str, data: bytes) -> list[Proposal]:
    """The amendments a DOCX edited with Track Changes stands for, checked against today's text."""
    if document.current_version is None:
        raise ValidationError(_l("The document has no version yet."))
    if not (filename or "").lower().endswith((".docx", ".docm")) and not data.startswith(b"PK"):
        raise ValidationError(_l("Upload the Word (.docx) file you edited."), code="not_docx")
    current = document.current_version
    known = _current_texts(document)
    upload = read_upload(filename, data, known)
    _check_origin(document, upload)
    if upload.origin is None and not any(k for k, _ in upload.paragraphs):
        raise ValidationError(
            _l(
                "This Word file carries no paragraph keys: download the DOCX from this document, edit it with Track Changes on, and upload that file."
            ),
            code="no_keys",
        )
    numbers = {p.key: p.number for p in current.paragraphs}
    same_version = upload.origin is not None and upload.origin[1] == current.number
    word = upload.word
    original = {k: t for k, t, _ in _word_view(word, "original", known, True) if k}
    accepted = _word_view(word, "accepted", known, True)
    accepted_keys = {k for k, _, _ in accepted if k}
    proposals: list[Proposal] = []

    def require_current(key, file_text):
        if key not in known:
            raise ValidationError(
                _l(
                    "A changed paragraph of the Word file is no longer in %(label)s: download the current version and make the change there.",
                    label=current.label,
                ),
                code="stale_docx",
            )
        if file_text is not None and file_text != known[key] and not same_version:
            raise ValidationError(
                _l(
                    "Paragraph %(numbers)s changed since the version this file was exported from; download %(label)s and make the change there.",
                    numbers=numbers[key],
                    label=current.label,
                ),
                code="stale_docx",
            )

    anchor: str | None = None
    for key, text, paragraph in accepted:
        rationale = "\n\n".join(paragraph.comments)
        if key is None:
            proposals.append(
                Proposal(
                    "insert", anchor, text, "", rationale, numbers.get(anchor, 0) if anchor else 0
                )
            )
            continue
        base = known.get(key) if same_version else original.get(key)
        if base is not None and text != base:
            require_current(key, original.get(key))
            proposals.append(Proposal("modify", key, text, known[key], rationale, numbers[key]))
        if key in known:
            anchor = key
    deletions = [k for k in original if k not in accepted_keys]
    if same_version:
        deletions += [k for k in known if k not in accepted_keys and k not in original]
    for key in dict.fromkeys(deletions):
        require_current(key, original.get(key))
        comments = [c for p in word.paragraphs if p.key == key for c in p.comments]
        proposals.append(
            Proposal("delete", key, "", known[key], "\n\n".join(comments), numbers[key])
        )
    if not proposals:
        raise ValidationError(
            _l(
                "The Word file changes nothing in the text: edit it with Track Changes on and upload it again."
            ),
            code="no_changes",
        )
    proposals.sort(key=lambda p: (p.number or 0, p.kind != "modify"))
    return proposals


def propose_all(document, user, proposals: list[Proposal], *, on_behalf_of=None, version=None):
    """Propose every planned amendment; the first refusal stops them all (the caller rolls back)."""
    missing = [p for p in proposals if not p.rationale.strip()]
    if missing:
        where = ", ".join(str(p.number or "start") for p in missing)
        raise ValidationError(
            _l(
                "Give a rationale for every amendment (missing for paragraph %(where)s).",
                where=where,
            ),
            code="rationale_required",
        )
    return [
        propose_amendment(
            document,
            user,
            kind=p.kind,
            paragraph=p.paragraph if p.kind != "insert" else None,
            after=(p.paragraph or "^") if p.kind == "insert" else None,
            text=p.text,
            rationale=p.rationale,
            on_behalf_of=on_behalf_of,
            version=version,
        )
        for p in proposals
    ]
