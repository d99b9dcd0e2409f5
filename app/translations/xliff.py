"""XLIFF 2.0 and 1.2 export and import of a language version, through translate-toolkit.

One unit per paragraph key (unit id = key); the <source> is the source text at export time, so
an import can tell that the source changed since and refuse that unit instead of applying a
translation of an older text. An import is all or nothing for the file's own problems (not XML,
another document or language, too large), and reports per unit what was applied, unchanged or
refused.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from lxml import etree
from translate.storage import xliff as xliff1
from translate.storage import xliff2

from app.core.errors import TooLarge, ValidationError
from app.documents.models import Document, VersionParagraph
from app.extensions import db
from app.translations.languages import language, normalize_tag
from app.translations.queries import aligned_paragraphs, get_language_version
from app.translations.services import MAX_TRANSLATION_TEXT, require_translator, save_translation

NS_1_2 = "urn:oasis:names:tc:xliff:document:1.2"
NS_2_0 = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MEDIA_TYPE = "application/xliff+xml"

# Our states in each format: XLIFF 2 segment state; XLIFF 1.2 target state and approved.
STATE_2 = {
    "missing": "initial",
    "outdated": "initial",
    "translated": "translated",
    "reviewed": "reviewed",
}
STATE_1_2 = {"outdated": "needs-translation", "translated": "translated", "reviewed": "signed-off"}
NEEDS_WORK_1_2 = {
    "new",
    "needs-translation",
    "needs-adaptation",
    "needs-l10n",
    "needs-review-translation",
    "needs-review-adaptation",
    "needs-review-l10n",
}


def parse_version(value: str | None) -> str:
    value = (value or "2").strip()
    if value in ("2", "2.0"):
        return "2"
    if value == "1.2":
        return "1.2"
    raise ValidationError(
        _l("Unknown XLIFF version %(value)s: use 2 or 1.2.", value=repr(value[:20]))
    )


def original_of(document: Document) -> str:
    return f"documents/{document.slug}"


def export_filename(document: Document, lang: str, version: str) -> str:
    suffix = "xliff2" if version == "2" else "xliff12"
    return f"{document.slug}.{lang}.{suffix}.xlf"


def _outdated_note(previous_source: str) -> str:
    return "The source changed since this translation was made. It translated:\n" + previous_source


def export_xliff(document: Document, lang: str, version: str = "2") -> bytes:
    """The language version as XLIFF (`version` "2" or "1.2"), one unit per paragraph key."""
    tag = get_language_version(document, lang).tag
    version = parse_version(version)
    rows = aligned_paragraphs(document, tag)
    label = document.current_version.label if document.current_version else ""
    if version == "2":
        store = _export_2(document, tag, rows, label)
    else:
        store = _export_1_2(document, tag, rows, label)
    return _tidy(bytes(store), version)


def _skeleton_2(document: Document, tag: str, label: str) -> bytes:
    root = etree.Element(f"{{{NS_2_0}}}xliff", nsmap={None: NS_2_0})
    root.set("version", "2.0")
    root.set("srcLang", document.language)
    root.set("trgLang", tag)
    file = etree.SubElement(root, f"{{{NS_2_0}}}file", id="f1", original=original_of(document))
    notes = etree.SubElement(file, f"{{{NS_2_0}}}notes")
    note = etree.SubElement(notes, f"{{{NS_2_0}}}note", category="agora:version")
    note.text = f"{document.title} {label}".strip()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _export_2(document, tag, rows, label):
    store = xliff2.Xliff2File.parsestring(_skeleton_2(document, tag, label))
    for row in rows:
        unit = store.addsourceunit(row.source)
        unit.setid(row.key)
        translation = row.translation
        if translation is not None:
            unit.target = translation.text
        unit.xmlelement.set("state", STATE_2[row.state])
        if row.state == "outdated":
            unit.addnote(_outdated_note(translation.source_text), origin="agora:outdated")
    return store


def _export_1_2(document, tag, rows, label):
    root = etree.Element(f"{{{NS_1_2}}}xliff", nsmap={None: NS_1_2})
    root.set("version", "1.2")
    file = etree.SubElement(
        root,
        f"{{{NS_1_2}}}file",
        {
            "original": original_of(document),
            "source-language": document.language,
            "target-language": tag,
            "datatype": "plaintext",
            "product-name": "Agora",
            "product-version": label or "1",
        },
    )
    etree.SubElement(file, f"{{{NS_1_2}}}body")
    store = xliff1.xlifffile.parsestring(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    )
    for row in rows:
        unit = store.addsourceunit(row.source, filename=original_of(document))
        unit.setid(row.key)
        translation = row.translation
        if translation is None:
            continue
        unit.target = translation.text
        target = unit.xmlelement.find(f"{{{NS_1_2}}}target")
        target.set("state", STATE_1_2[row.state])
        unit.xmlelement.set("approved", "yes" if row.state == "reviewed" else "no")
        if row.state == "outdated":
            unit.addnote(_outdated_note(translation.source_text), origin="agora:outdated")
    return store


def _tidy(data: bytes, version: str) -> bytes:
    """Drop stray namespace declarations; in XLIFF 2, xml:space belongs on <unit>, not <segment>."""
    root = etree.fromstring(data, _safe_parser())
    if version == "2":
        for segment in root.iter(f"{{{NS_2_0}}}segment"):
            space = segment.attrib.pop(XML_SPACE, None)
            if space:
                segment.getparent().set(XML_SPACE, space)
            # Notes that the toolkit nests in the segment belong to the unit, before segments.
            for notes in segment.findall(f"{{{NS_2_0}}}notes"):
                segment.remove(notes)
                segment.getparent().insert(0, notes)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


# Import ----------------------------------------------------------------------------------------


@dataclass
class UnitOutcome:
    id: str
    outcome: str  # applied | unchanged | refused
    message: str = ""

    def as_dict(self) -> dict:
        return {"id": self.id, "outcome": self.outcome, "message": self.message}


@dataclass
class ImportReport:
    version: str
    units: list[UnitOutcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for unit in self.units if unit.outcome == outcome)

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "applied": self.count("applied"),
            "unchanged": self.count("unchanged"),
            "refused": self.count("refused"),
            "units": [unit.as_dict() for unit in self.units],
        }


def _read(data: bytes):
    """Parse the file into (version, store); a 400 with a message for anything malformed."""
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as error:
        raise ValidationError(
            _l("The file is not well-formed XML (%(msg)s).", msg=error.msg)
        ) from None
    if root.getroottree().docinfo.doctype:
        raise ValidationError(_l("XLIFF files must not contain a DOCTYPE declaration."))
    if etree.QName(root).localname != "xliff":
        raise ValidationError(_l("This is XML, but not XLIFF: its root element is not <xliff>."))
    declared = root.get("version", "")
    namespace = etree.QName(root).namespace or ""
    if declared.startswith("2.") or namespace == NS_2_0:
        version, store_class = "2", xliff2.Xliff2File
    elif declared in ("1.2", "1.1") or namespace.startswith("urn:oasis:names:tc:xliff:document:1."):
        version, store_class = "1.2", xliff1.xlifffile
    else:
        raise ValidationError(
            _l(
                "Unsupported XLIFF version %(declared)s: use 2.0 or 1.2.",
                declared=repr(declared[:20]),
            )
        )
    files = [el for el in root if isinstance(el.tag, str) and etree.QName(el).localname == "file"]
    if len(files) != 1:
        raise ValidationError(_l("The file must contain exactly one <file> element, as exported."))
    try:
        store = store_class.parsestring(data)
    except Exception as error:  # noqa: BLE001  (translate-toolkit raises many kinds on bad files)
        raise ValidationError(
            _l("The XLIFF file could not be read: %(error)s", error=error)
        ) from None
    return version, root, files[0], store


def _languages(version: str, root, file) -> tuple[str | None, str | None]:
    if version == "2":
        return root.get("srcLang"), root.get("trgLang")
    return file.get("source-language"), file.get("target-language")


def _check_belongs(document: Document, tag: str, version: str, root, file) -> None:
    original = file.get("original")
    if original != original_of(document):
        if original and original.startswith("documents/"):
            raise ValidationError(
                _l(
                    "This file belongs to another document (%(split)s), not %(slug)s.",
                    split=repr(original.split("/", 1)[1]),
                    slug=repr(document.slug),
                )
            )
        raise ValidationError(
            _l(
                'This file does not name this document (expected original="%(original_of)s"): import files exported from this page.',
                original_of=original_of(document),
            )
        )
    source_lang, target_lang = _languages(version, root, file)
    try:
        target = normalize_tag(target_lang)
    except ValidationError:
        raise ValidationError(_l("The file does not declare a valid target language.")) from None
    if target != tag:
        raise ValidationError(
            _l(
                "This file is a %(name)s (%(target)s) translation, not %(name2)s (%(tag)s).",
                name=language(target).name,
                target=target,
                name2=language(tag).name,
                tag=tag,
            )
        )
    if source_lang and normalize_tag(source_lang) != normalize_tag(document.language):
        raise ValidationError(
            _l(
                "The file's source language %(source_lang)s is not %(language)s.",
                source_lang=repr(source_lang),
                language=repr(document.language),
            )
        )


def _unit_id(version: str, unit) -> str:
    if version == "1.2":
        return unit.xmlelement.get("id") or ""
    return unit.getid() or ""


def _clean(text) -> str:
    return str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def import_xliff(
    document: Document, lang: str, data: bytes, user, *, max_bytes: int
) -> ImportReport:
    """Apply an edited XLIFF file; refuse units whose source changed since export."""
    require_translator(user, document)
    tag = get_language_version(document, lang).tag
    if len(data) > max_bytes:
        raise TooLarge(
            _l(
                "The file is larger than the limit of %(max_bytes)s KiB.",
                max_bytes=max_bytes // 1024,
            )
        )
    if not data.strip():
        raise ValidationError(_l("The file is empty."))
    version, root, file, store = _read(data)
    _check_belongs(document, tag, version, root, file)

    sources = {row.key: row for row in aligned_paragraphs(document, tag)}
    known_keys = set(
        db.session.scalars(
            db.select(VersionParagraph.key).where(VersionParagraph.document_id == document.id)
        )
    )
    report = ImportReport(version)
    plan: list[tuple[str, str]] = []
    seen: set[str] = set()
    for unit in store.getunits():
        key = _unit_id(version, unit)
        outcome = _judge(version, key, unit, sources, known_keys, seen)
        seen.add(key)
        if outcome is None:
            plan.append((key, _clean(unit.target)))
            report.units.append(UnitOutcome(key, "applied", "Translation saved."))
        else:
            report.units.append(outcome)
    if not report.units:
        raise ValidationError(_l("The file contains no translation units."))
    for key, text in plan:
        save_translation(document, tag, key, text, user, origin="xliff", check_permission=False)
    return report


def _judge(version: str, key: str, unit, sources, known_keys, seen) -> UnitOutcome | None:
    """Why a unit is not applied, or None when it is to be applied."""
    if not key:
        return UnitOutcome(
            "", "refused", _l("A unit without an id cannot be matched to a paragraph.")
        )
    if key in seen:
        return UnitOutcome(key, "refused", _l("This unit id appears more than once in the file."))
    if key not in sources:
        if key in known_keys:
            return UnitOutcome(
                key, "refused", _l("This paragraph is no longer in the current version.")
            )
        return UnitOutcome(key, "refused", _l("No paragraph of this document has this key."))
    row = sources[key]
    if _clean(unit.source) != row.source:
        return UnitOutcome(
            key,
            "refused",
            _l(
                "The source paragraph changed since this file was exported; translate today's text."
            ),
        )
    target = _clean(unit.target)
    if not target.strip():
        return UnitOutcome(key, "unchanged", _l("No translation in the file."))
    current = row.translation
    if current is not None and current.text == target:
        if current.source_text == row.source:
            return UnitOutcome(key, "unchanged", _l("Same as the saved translation."))
        if _marked_needing_work(version, unit):
            return UnitOutcome(
                key,
                "unchanged",
                _l("Still outdated: the text was not changed nor marked translated in the file."),
            )
    if len(target) > MAX_TRANSLATION_TEXT:
        return UnitOutcome(
            key,
            "refused",
            _l(
                "The translation is longer than %(MAX_TRANSLATION_TEXT)s characters.",
                MAX_TRANSLATION_TEXT=MAX_TRANSLATION_TEXT,
            ),
        )
    return None


def _marked_needing_work(version: str, unit) -> bool:
    """Whether the file still marks the unit as needing translation (as an outdated one is exported)."""
    if version == "2":
        return unit.xmlelement.get("state") in (None, "initial")
    target = unit.xmlelement.find(f"{{{unit.namespace}}}target")
    state = target.get("state") if target is not None else None
    return state is None or state in NEEDS_WORK_1_2


def download(document, tag: str, version_arg: str | None):
    """The export as an attachment: the same answer for the page and the API."""
    version = parse_version(version_arg)
    filename = export_filename(document, tag, version)
    headers = {
        "Content-Type": f"{MEDIA_TYPE}; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{filename}"',
    }
    return export_xliff(document, tag, version), 200, headers
