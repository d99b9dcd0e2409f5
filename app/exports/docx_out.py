"""DOCX with real Word styles, paragraph keys as hidden bookmarks, and real tracked changes.

python-docx writes the package, the styles, the properties and the comments; the runs,
bookmarks and revisions (`w:ins`, `w:del`, paragraph-mark revisions) are built as
WordprocessingML elements, which python-docx has no API for.
"""

import io
import itertools
from dataclasses import replace
from functools import lru_cache

from docx import Document as new_word_document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser
from docx.shared import Cm, Pt, RGBColor
from docx.text.run import Run as WordRun

from app.core.textdiff import word_diff
from app.exports.blocks import BULLET, CODE, HEADING, ORDERED, QUOTE, Block, Run, parse_block
from app.exports.content import ExportText

# Hidden bookmarks (a leading underscore) carry each paragraph's key through Word.
KEY_BOOKMARK = "_Ag_"
NUMBER_STYLE = "Paragraph Number"
MARKER_STYLE = "List Marker"
HYPERLINK_STYLE = "Hyperlink"
NUMBERED_ITEM_STYLE = "Numbered Item"
CODE_STYLE = "Code Block"
MONOSPACE = "Courier New"
EQUAL, INSERTED, DELETED = 0, 1, -1
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def block_style(block: Block) -> str:
    return {
        HEADING: f"Heading {max(1, min(block.level, 9))}",
        BULLET: "List Bullet",
        ORDERED: NUMBERED_ITEM_STYLE,
        QUOTE: "Quote",
        CODE: CODE_STYLE,
    }.get(block.kind, "Normal")


def tracked_runs(before: Block, after: Block) -> list[tuple[int, Run]]:
    """Word-level diff of two blocks as (op, run) pieces keeping each side's formatting."""
    old = [(ch, run) for run in before.runs for ch in run.text]
    new = [(ch, run) for run in after.runs for ch in run.text]
    pieces: list[tuple[int, Run]] = []
    i = j = 0
    for op, segment in word_diff(before.text, after.text):
        size = len(segment)
        if op == DELETED:
            chars, i = old[i : i + size], i + size
        elif op == INSERTED:
            chars, j = new[j : j + size], j + size
        else:
            chars, i, j = new[j : j + size], i + size, j + size
        for ch, run in chars:
            if pieces and pieces[-1][0] == op and pieces[-1][1].style == run.style:
                pieces[-1] = (op, replace(pieces[-1][1], text=pieces[-1][1].text + ch))
            else:
                pieces.append((op, replace(run, text=ch)))
    return pieces


class DocxWriter:
    """Builds one DOCX; `ids` numbers bookmarks, revisions and comments uniquely."""

    def __init__(self, text: ExportText):
        self.text = text
        self.word = new_word_document()
        self.ids = itertools.count(1)
        self.rtl = text.dir == "rtl"
        self.style_ids: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self._styles()
        self._properties()
        self._front_matter()

    # --- set-up ---------------------------------------------------------------------------

    def _styles(self) -> None:
        styles = self.word.styles
        names = {style.name for style in styles}
        normal = styles["Normal"]
        normal.font.name = "Noto Sans"
        normal.font.size = Pt(11)
        if NUMBER_STYLE not in names:
            style = styles.add_style(NUMBER_STYLE, WD_STYLE_TYPE.CHARACTER)
            style.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
            style.font.size = Pt(9)
        if MARKER_STYLE not in names:
            styles.add_style(MARKER_STYLE, WD_STYLE_TYPE.CHARACTER)
        if HYPERLINK_STYLE not in names:
            style = styles.add_style(HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER)
            style.font.underline = True
            style.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        if CODE_STYLE not in names:
            style = styles.add_style(CODE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.font.name = MONOSPACE
        if NUMBERED_ITEM_STYLE not in names:
            style = styles.add_style(NUMBERED_ITEM_STYLE, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.paragraph_format.left_indent = Cm(1)

    def _properties(self) -> None:
        props = self.word.core_properties
        props.title = self.text.title
        props.identifier = self.text.identifier
        props.version = self.text.label
        props.language = self.text.lang
        props.subject = self.text.subtitle or self.text.label
        props.author = "Agora drafts"
        props.created = self.text.date.replace(tzinfo=None)
        props.comments = "Paragraph keys are kept in hidden bookmarks: keep them to upload edits."

    def _front_matter(self) -> None:
        title = self.word.add_paragraph(style="Title")
        self._append_runs(title, [(EQUAL, Run(self.text.title))])
        line = f"{self.text.label} · {self.text.date:%d %B %Y}"
        if self.text.subtitle:
            line = f"{self.text.subtitle} · {line}"
        subtitle = self.word.add_paragraph(style="Subtitle")
        self._append_runs(subtitle, [(EQUAL, Run(f"{line} · {self.text.lang}"))])

    def _style_id(self, name: str) -> str:
        """Style ids looked up once: python-docx scans every style on each lookup by name."""
        if name not in self.style_ids:
            self.style_ids[name] = self.word.styles[name].style_id
        return self.style_ids[name]

    def _link(self, part, href: str) -> str:
        """One relationship per URL, with ids of our own (python-docx scans them all per link)."""
        if href not in self.links:
            rid = f"rIdAg{len(self.links) + 1}"
            part.rels.add_relationship(RELATIONSHIP_TYPE.HYPERLINK, href, rid, is_external=True)
            self.links[href] = rid
        return self.links[href]

    # --- paragraphs -----------------------------------------------------------------------

    def paragraph(
        self,
        block: Block,
        *,
        key: str | None = None,
        number: int | None = None,
        pieces: list[tuple[int, Run]] | None = None,
        mark: int = EQUAL,
        author: str = "",
        date=None,
    ):
        """One Word paragraph; `mark` inserts or deletes the whole paragraph as a revision."""
        para = self.word.add_paragraph()
        p = para._p
        # pPr built directly: python-docx's generic child insertion dominated the export time.
        ppr = _element("w:pPr", {})
        ppr.append(_element("w:pStyle", {"w:val": self._style_id(block_style(block))}))
        if self.rtl:
            ppr.append(_new("w:bidi"))
        p.insert(0, ppr)
        bookmark_id = None
        if key:
            bookmark_id = str(next(self.ids))
            p.append(
                _element("w:bookmarkStart", {"w:id": bookmark_id, "w:name": KEY_BOOKMARK + key})
            )
        prefix = []
        if number is not None and block.kind != HEADING:
            prefix.append((mark, Run(f"{number}.\t"), NUMBER_STYLE))
        if block.kind == ORDERED:
            prefix.append((mark, Run(f"{block.marker}. "), MARKER_STYLE))
        for op, run, style in prefix:
            self._append_runs(para, [(op, run)], author, date, style=style)
        pieces = pieces if pieces is not None else [(mark, run) for run in block.runs]
        if block.kind == CODE:
            pieces = [(op, replace(run, code=True)) for op, run in pieces]
        self._append_runs(para, pieces, author, date)
        if bookmark_id:
            p.append(_element("w:bookmarkEnd", {"w:id": bookmark_id}))
        if mark != EQUAL:
            rpr = _new("w:rPr")
            rpr.append(self._revision("w:ins" if mark == INSERTED else "w:del", author, date))
            ppr.append(rpr)
        return para

    def _revision(self, tag: str, author: str, date):
        attrs = {"w:id": str(next(self.ids)), "w:author": author or "Unknown"}
        if date is not None:
            attrs["w:date"] = date.strftime("%Y-%m-%dT%H:%M:%SZ")
        return _element(tag, attrs)

    def _append_runs(self, para, pieces, author="", date=None, style=None) -> list:
        """Runs into the paragraph, inside hyperlinks and revision wrappers where needed."""
        p = para._p
        made = []
        link = None
        link_href = None
        for op, run in pieces:
            if not run.text:
                continue
            if run.href != link_href:
                link, link_href = None, run.href
                if run.href:
                    rel = self._link(para.part, run.href)
                    link = _element("w:hyperlink", {"r:id": rel})
                    p.append(link)
            container = link if link is not None else p
            if op != EQUAL:
                tag = _clark("w:ins") if op == INSERTED else _clark("w:del")
                last = container[-1] if len(container) else None
                if last is None or last.tag != tag:
                    last = self._revision("w:ins" if op == INSERTED else "w:del", author, date)
                    container.append(last)
                container = last
            element = _run_element(
                run,
                deleted=op == DELETED,
                rtl=self.rtl,
                style=style or (HYPERLINK_STYLE if run.href else None),
            )
            container.append(element)
            made.append(element)
        return made

    def comment(self, para, text: str, author: str) -> None:
        runs = [WordRun(r, para) for r in para._p.iter(qn("w:r"))]
        if runs:
            self.word.add_comment(runs, text=text, author=author, initials="")

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.word.save(buffer)
        return buffer.getvalue()


@lru_cache(maxsize=256)
def _clark(tag: str) -> str:
    return qn(tag)


_NSMAP = {"w": nsmap["w"]}


def _new(tag: str):
    """An element of python-docx's element classes, without re-parsing the tag every time
    (OxmlElement does, and it dominated the export time)."""
    return oxml_parser.makeelement(_clark(tag), nsmap=_NSMAP)


def _element(tag: str, attrs: dict):
    element = _new(tag)
    for name, value in attrs.items():
        element.set(_clark(name), value)
    return element


def _run_element(run: Run, *, deleted=False, rtl=False, style=None):
    r = _new("w:r")
    rpr = _new("w:rPr")
    if style:
        rpr.append(_element("w:rStyle", {"w:val": style.replace(" ", "")}))
    if run.code:
        rpr.append(
            _element("w:rFonts", {"w:ascii": MONOSPACE, "w:hAnsi": MONOSPACE, "w:cs": MONOSPACE})
        )
    if run.bold:
        rpr.append(_new("w:b"))
    if run.italic:
        rpr.append(_new("w:i"))
    if run.strike:
        rpr.append(_new("w:strike"))
    if rtl:
        rpr.append(_new("w:rtl"))
    if len(rpr):
        r.append(rpr)
    text_tag = "w:delText" if deleted else "w:t"
    for index, line in enumerate(run.text.split("\n")):
        if index:
            r.append(_new("w:br"))
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                r.append(_new("w:tab"))
            if part:
                t = _new(text_tag)
                t.text = part
                t.set(_XML_SPACE, "preserve")
                r.append(t)
    return r


# --- the three kinds of DOCX ----------------------------------------------------------------


def version_docx(text: ExportText) -> bytes:
    writer = DocxWriter(text)
    for paragraph in text.paragraphs:
        writer.paragraph(parse_block(paragraph.text), key=paragraph.key, number=paragraph.number)
    return writer.save()


def tracked_docx(text: ExportText) -> bytes:
    """A compilation or a diff: each change a Word revision by its author at its time."""
    writer = DocxWriter(text)
    for entry in text.entries:
        paragraph = entry.paragraph
        main = next((c for c in entry.changes if not c.alternative), None)
        if paragraph is None:  # inserted paragraph(s)
            for change in entry.changes:
                writer.paragraph(
                    parse_block(change.after), mark=INSERTED, author=change.author, date=change.date
                )
            continue
        block = parse_block(paragraph.text)
        options = {"key": paragraph.key, "number": paragraph.number}
        if main is None:
            para = writer.paragraph(block, **options)
        elif main.kind == "delete":
            para = writer.paragraph(
                block, mark=DELETED, author=main.author, date=main.date, **options
            )
        else:
            after = parse_block(main.after)
            para = writer.paragraph(
                after if after.kind != block.kind else block,
                pieces=tracked_runs(block, after),
                author=main.author,
                date=main.date,
                **options,
            )
        for change in entry.changes:
            if change.alternative:
                verb = (
                    "delete this paragraph" if change.kind == "delete" else f"read: {change.after}"
                )
                writer.comment(para, f"Competing amendment {change.label}: {verb}", change.author)
    return writer.save()
