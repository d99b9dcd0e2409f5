"""Reading an uploaded DOCX safely: the package checked first, every XML part parsed without
DTDs or entities, then each paragraph in two views, as Word had it before the tracked changes
(`original`) and with all of them accepted (`accepted`), with its key bookmark and comments.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from lxml import etree

from app.core.errors import TooLarge, ValidationError
from app.exports.blocks import (
    BULLET,
    CODE,
    HEADING,
    ORDERED,
    PARAGRAPH,
    QUOTE,
    Block,
    Run,
    merge_runs,
)
from app.exports.docx_out import KEY_BOOKMARK, MARKER_STYLE, MONOSPACE, NUMBER_STYLE

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_TYPES = ("macroEnabled", "vbaProject")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SKIPPED_STYLES = ("title", "subtitle")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class WordParagraph:
    style: str
    key: str | None
    original: Block
    accepted: Block
    inserted: bool = False  # the paragraph mark is a tracked insertion
    deleted: bool = False
    comments: list[str] = field(default_factory=list)


@dataclass
class WordFile:
    identifier: str
    title: str
    paragraphs: list[WordParagraph]
    has_revisions: bool


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
)


def _xml(data: bytes, name: str):
    head = data[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data.upper():
        raise ValidationError(
            _l(
                "The Word file's part %(name)s declares a DTD or entities, which Word never writes; refused for safety.",
                name=name,
            ),
            code="unsafe_docx",
        )
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise ValidationError(
            _l("The Word file is damaged (%(name)s: %(error)s).", name=name, error=error),
            code="bad_docx",
        ) from error


class Package:
    """The zip, checked before any part is parsed: size, encryption, macros, bombs."""

    def __init__(self, data: bytes, max_bytes: int, max_unpacked: int):
        if len(data) > max_bytes:
            raise TooLarge(
                _l(
                    "The file has %(size)s KiB; the limit is %(limit)s KiB.",
                    size=len(data) // 1024,
                    limit=max_bytes // 1024,
                )
            )
        if data.startswith(OLE_MAGIC):
            raise ValidationError(
                _l(
                    "This is an encrypted (password-protected) Word file or an old .doc file: remove the password or save it as .docx and upload it again."
                ),
                code="encrypted_docx",
            )
        if not data.startswith(b"PK"):
            raise ValidationError(_l("This is not a Word (.docx) file."), code="not_docx")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise ValidationError(
                _l("The Word file is damaged: %(error)s.", error=error), code="bad_docx"
            ) from error
        self.max_unpacked = max_unpacked
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise ValidationError(_l("The Word file is encrypted."), code="encrypted_docx")
            total += info.file_size
        if total > max_unpacked:
            raise TooLarge(
                _l(
                    "The Word file unpacks to %(size)s MiB; the limit is %(limit)s MiB.",
                    size=total // (1024 * 1024),
                    limit=max_unpacked // (1024 * 1024),
                ),
                code="docx_bomb",
            )
        self.names = {info.filename for info in infos}
        types = self.read("[Content_Types].xml")
        lowered = types.decode("utf-8", "replace")
        if any(marker in lowered for marker in MACRO_TYPES) or any(
            n.lower().endswith("vbaproject.bin") for n in self.names
        ):
            raise ValidationError(
                _l("Macro-enabled Word files (.docm) are refused: save it as a plain .docx."),
                code="macro_docx",
            )
        if MAIN_TYPE not in lowered or "word/document.xml" not in self.names:
            raise ValidationError(_l("This zip file is not a Word document."), code="not_docx")

    def read(self, name: str) -> bytes:
        """A part, read in chunks so that a lying size header cannot unpack a bomb."""
        if name not in self.names:
            raise ValidationError(_l("The Word file has no %(name)s.", name=name), code="bad_docx")
        chunks, size = [], 0
        try:
            with self.zip.open(name) as part:
                while chunk := part.read(65536):
                    size += len(chunk)
                    if size > self.max_unpacked:
                        raise TooLarge(
                            _l("The Word file unpacks to too much data."), code="docx_bomb"
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise ValidationError(
                _l("The Word file is damaged: %(error)s.", error=error), code="bad_docx"
            ) from error
        return b"".join(chunks)

    def xml(self, name: str, optional: bool = False):
        if optional and name not in self.names:
            return None
        return _xml(self.read(name), name)


def _styles(package: Package) -> dict[str, str]:
    root = package.xml("word/styles.xml", optional=True)
    if root is None:
        return {}
    names = {}
    for style in root.iter(w("style")):
        name = style.find(w("name"))
        names[style.get(w("styleId"))] = (name.get(w("val")) if name is not None else "") or ""
    return names


def _links(package: Package) -> dict[str, str]:
    root = package.xml("word/_rels/document.xml.rels", optional=True)
    if root is None:
        return {}
    return {
        rel.get("Id"): rel.get("Target")
        for rel in root
        if rel.get("TargetMode") == "External" and rel.get("Type", "").endswith("/hyperlink")
    }


def _comments(package: Package) -> dict[str, str]:
    root = package.xml("word/comments.xml", optional=True)
    if root is None:
        return {}
    result = {}
    for comment in root.iter(w("comment")):
        paragraphs = ["".join(t.text or "" for t in p.iter(w("t"))) for p in comment.iter(w("p"))]
        result[comment.get(w("id"))] = "\n".join(p for p in paragraphs if p.strip()).strip()
    return result


def _core(package: Package) -> tuple[str, str]:
    root = package.xml("docProps/core.xml", optional=True)
    if root is None:
        return "", ""
    found = {el.tag.rsplit("}", 1)[-1]: (el.text or "").strip() for el in root}
    return found.get("identifier", ""), found.get("title", "")


def _kind(style: str, ppr) -> tuple[str, int]:
    lowered = style.lower()
    match = re.fullmatch(r"heading (\d)", lowered)
    if match:
        return HEADING, int(match.group(1))
    if "list number" in lowered or lowered == "numbered item":
        return ORDERED, 0
    if "list" in lowered or (ppr is not None and ppr.find(w("numPr")) is not None):
        return BULLET, 0
    if "quote" in lowered:
        return QUOTE, 0
    if lowered in ("html preformatted", "code", "code block", "macro text"):
        return CODE, 0
    return PARAGRAPH, 0


class _Walker:
    """Collects the runs of one paragraph in both views."""

    def __init__(self, links, styles):
        self.links, self.styles = links, styles
        self.original: list[Run] = []
        self.accepted: list[Run] = []
        self.marker = ""
        self.keys: list[str] = []
        self.comments: list[str] = []
        self.revised = False

    def walk(self, element, state: str = "", href: str | None = None) -> None:
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            local = tag.rsplit("}", 1)[-1]
            if local == "r":
                self._run(child, state, href)
            elif local in ("ins", "moveTo"):
                self.revised = True
                self.walk(child, "ins", href)
            elif local in ("del", "moveFrom"):
                self.revised = True
                self.walk(child, "del", href)
            elif local == "hyperlink":
                target = self.links.get(child.get(f"{{{R}}}id")) or (
                    "#" + child.get(w("anchor")) if child.get(w("anchor")) else None
                )
                self.walk(child, state, target)
            elif local == "bookmarkStart":
                name = child.get(w("name")) or ""
                if name.startswith(KEY_BOOKMARK):
                    self.keys.append(name[len(KEY_BOOKMARK) :])
            elif local in ("commentRangeStart", "commentReference"):
                self.comments.append(child.get(w("id")))
            elif local in ("pPr", "rPr", "proofErr", "bookmarkEnd", "commentRangeEnd"):
                continue
            elif len(child):
                self.walk(child, state, href)

    def _run(self, r, state, href) -> None:
        rpr = r.find(w("rPr"))
        style_el = rpr.find(w("rStyle")) if rpr is not None else None
        style = (
            self.styles.get(style_el.get(w("val")), style_el.get(w("val")))
            if style_el is not None
            else ""
        )
        for ref in r.iter(w("commentReference")):
            self.comments.append(ref.get(w("id")))

        def flag(name):
            el = rpr.find(w(name)) if rpr is not None else None
            return el is not None and el.get(w("val"), "true") not in ("0", "false", "none")

        fonts = rpr.find(w("rFonts")) if rpr is not None else None
        code = fonts is not None and MONOSPACE in (fonts.get(w("ascii")) or "")
        parts = []
        for child in r:
            local = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if local in ("t", "delText"):
                parts.append(child.text or "")
            elif local == "tab":
                parts.append("\t")
            elif local in ("br", "cr"):
                parts.append("\n")
            elif local == "noBreakHyphen":
                parts.append("-")
        text = "".join(parts)
        if not text:
            return
        if style == NUMBER_STYLE:
            return
        if style == MARKER_STYLE:
            if state != "del":
                self.marker = text.strip().rstrip(".)") or self.marker
            return
        run = Run(
            text,
            bold=flag("b"),
            italic=flag("i"),
            strike=flag("strike"),
            code=code,
            href=href,
        )
        if state != "ins":
            self.original.append(run)
        if state != "del":
            self.accepted.append(run)


def _body_paragraphs(body):
    """Paragraphs of the body in order, also inside tables and content controls."""
    for child in body:
        local = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if local == "p":
            yield child
        elif local in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins", "del"):
            yield from _body_paragraphs(child)


def read_docx(data: bytes, *, max_bytes: int, max_unpacked: int) -> WordFile:
    package = Package(data, max_bytes, max_unpacked)
    styles, links, comments = _styles(package), _links(package), _comments(package)
    identifier, title = _core(package)
    root = package.xml("word/document.xml")
    body = root.find(w("body"))
    if body is None:
        raise ValidationError(_l("The Word file has no body."), code="bad_docx")
    paragraphs = []
    revised = False
    for p in _body_paragraphs(body):
        ppr = p.find(w("pPr"))
        style_el = ppr.find(w("pStyle")) if ppr is not None else None
        style = (
            styles.get(style_el.get(w("val")), style_el.get(w("val")))
            if style_el is not None
            else "Normal"
        )
        walker = _Walker(links, styles)
        walker.walk(p)
        mark = ppr.find(w("rPr")) if ppr is not None else None
        inserted = mark is not None and mark.find(w("ins")) is not None
        deleted = mark is not None and mark.find(w("del")) is not None
        revised = revised or walker.revised or inserted or deleted
        kind, level = _kind(style, ppr)
        blocks = []
        for runs in (walker.original, walker.accepted):
            runs = merge_runs(runs)
            if runs:  # the paragraph number's tab and stray spaces at the edges
                runs[0] = Run(runs[0].text.lstrip(), *runs[0].style)
                runs[-1] = Run(runs[-1].text.rstrip(), *runs[-1].style)
            blocks.append(
                Block(
                    kind, level, walker.marker or ("1" if kind == ORDERED else ""), merge_runs(runs)
                )
            )
        paragraphs.append(
            WordParagraph(
                style=style,
                key=walker.keys[0] if walker.keys else None,
                original=blocks[0],
                accepted=blocks[1],
                inserted=inserted,
                deleted=deleted,
                comments=[comments[c] for c in dict.fromkeys(walker.comments) if comments.get(c)],
            )
        )
    return WordFile(identifier, title, paragraphs, revised)
