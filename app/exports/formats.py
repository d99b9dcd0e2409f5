"""Writers of every export format, and the one table that maps a format to its writer."""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from lxml import etree
from markupsafe import Markup

from app.core.errors import ValidationError
from app.core.markdown import render_markdown
from app.core.textdiff import diff_html
from app.documents.models import join_paragraphs
from app.exports.blocks import BULLET, HEADING, ORDERED, QUOTE, parse_block, to_plain
from app.exports.content import ExportText
from app.exports.docx_out import tracked_docx, version_docx

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
# The fonts embedded in PDFs: Noto, installed from npm's @fontsource packages at set-up.
PDF_FONTS = ("noto-sans", "noto-sans-arabic", "noto-sans-sc")
PDF_WEIGHTS = ("400", "700")


@dataclass(frozen=True)
class Format:
    extension: str
    mimetype: str


FORMATS = {
    "docx": Format(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "pdf": Format("pdf", "application/pdf"),
    "html": Format("html", "text/html; charset=utf-8"),
    "md": Format("md", "text/markdown; charset=utf-8"),
    "txt": Format("txt", "text/plain; charset=utf-8"),
    "akn": Format("xml", "application/akn+xml"),
}
VERSION_FORMATS = ("docx", "pdf", "html", "md", "txt", "akn")
COMPILATION_FORMATS = ("docx", "pdf", "html")
DIFF_FORMATS = ("docx", "pdf")


def check_format(value, allowed) -> str:
    """The requested format; none given means DOCX, the format every export has."""
    value = (value or "docx").strip().lower()
    if value not in allowed:
        raise ValidationError(
            _l(
                "`format` must be one of %(allowed)s, not %(value)s.",
                allowed=", ".join(allowed),
                value=repr(value[:20]),
            ),
            code="bad_format",
        )
    return value


def render(text: ExportText, fmt: str) -> tuple[bytes, str, str]:
    """(content, mimetype, file name) of a text in a format."""
    tracked = text.kind != "version"
    writer = {
        "docx": tracked_docx if tracked else version_docx,
        "pdf": pdf,
        "html": lambda t: html(t).encode(),
        "md": markdown,
        "txt": plain,
        "akn": akoma_ntoso,
    }[fmt]
    spec = FORMATS[fmt]
    return writer(text), spec.mimetype, text.filename(spec.extension)


# --- text formats ---------------------------------------------------------------------------


def markdown(text: ExportText) -> bytes:
    return (join_paragraphs(p.text for p in text.paragraphs) + "\n").encode()


def plain(text: ExportText) -> bytes:
    lines = [text.title, f"{text.label} · {text.date:%d %B %Y}", ""]
    for paragraph in text.paragraphs:
        block = parse_block(paragraph.text)
        prefix = "" if block.kind == HEADING else f"{paragraph.number}. "
        lines += [prefix + to_plain(block), ""]
    return "\n".join(lines).encode()


# --- HTML and PDF ---------------------------------------------------------------------------


def _rows(text: ExportText) -> list[dict]:
    if text.kind == "version":
        return [
            {
                "key": p.key,
                "number": p.number,
                "html": Markup(render_markdown(p.text)),  # noqa: S704  (sanitised)
                "lang": p.lang,
                "dir": p.dir,
                "notes": [],
            }
            for p in text.paragraphs
        ]
    rows = []
    for entry in text.entries:
        paragraph = entry.paragraph
        notes = []
        for change in entry.changes:
            if change.kind == "insert":
                body = Markup('<ins class="diff-ins">{}</ins>').format(change.after)
            elif change.kind == "delete":
                body = Markup('<del class="diff-del">{}</del>').format(change.before)
            else:
                body = diff_html(paragraph.text if paragraph else change.before, change.after)
            what = "new paragraph" if change.kind == "insert" else change.kind
            notes.append({"by": f"{change.author} {change.label} ({what})", "html": body})
        rows.append(
            {
                "key": paragraph.key if paragraph else "",
                "number": paragraph.number if paragraph else "",
                "html": Markup(render_markdown(paragraph.text)) if paragraph else Markup(""),  # noqa: S704
                "lang": text.lang,
                "dir": text.dir,
                "notes": notes,
            }
        )
    return rows


def html(text: ExportText, *, for_pdf: bool = False) -> str:
    return render_template(
        "exports/standalone.html",
        text=text,
        rows=_rows(text),
        for_pdf=for_pdf,
        heading_kinds=(HEADING,),
    )


def fonts_dir() -> Path:
    return Path(current_app.config["EXPORT_FONTS_DIR"])


_FACE = re.compile(r"@font-face\s*{([^}]*)}")
_SRC = re.compile(r"url\(\./files/([^)]+\.woff2)\)")
_WEIGHT = re.compile(r"font-weight:\s*(\d+)")
_RANGE = re.compile(r"unicode-range:\s*([^;]+);")


@dataclass(frozen=True)
class FontFace:
    family: str  # one family per subset file, so PDF text maps stay exact
    weight: str
    path: Path
    ranges: tuple[tuple[int, int], ...]

    def covers(self, codepoint: int) -> bool:
        return any(lo <= codepoint <= hi for lo, hi in self.ranges)


def _parse_range(text: str) -> tuple[tuple[int, int], ...]:
    ranges = []
    for part in text.split(","):
        part = part.strip().upper().removeprefix("U+")
        lo, _, hi = part.partition("-")
        ranges.append((int(lo, 16), int(hi or lo, 16)))
    return tuple(ranges)


@lru_cache(maxsize=4)
def _font_faces(directory: str) -> tuple[FontFace, ...]:
    """Every subset face of the Noto packages, in the order fallback should try them."""
    faces = []
    for package in PDF_FONTS:
        for weight in PDF_WEIGHTS:
            css_path = Path(directory) / package / f"{weight}.css"
            if not css_path.exists():
                continue
            for rule in _FACE.findall(css_path.read_text()):
                src, weight_match, ranges = (
                    _SRC.search(rule),
                    _WEIGHT.search(rule),
                    _RANGE.search(rule),
                )
                if not (src and weight_match and ranges):
                    continue
                file_name = src.group(1)
                family = "AG " + file_name.replace(f"-{weight}-normal.woff2", "")
                faces.append(
                    FontFace(
                        family,
                        weight_match.group(1),
                        css_path.parent / "files" / file_name,
                        _parse_range(ranges.group(1)),
                    )
                )
    return tuple(faces)


def font_css(directory: Path, text: str) -> str:
    """@font-face rules for the subsets the text needs, and the font stack that uses them."""
    codepoints = frozenset(ord(c) for c in set(text) if ord(c) > 32)
    all_faces = _font_faces(str(directory))
    # Each character needs only the first subset (in fallback order) that covers it.
    needed: set[str] = set()
    for codepoint in codepoints:
        for face in all_faces:
            if face.covers(codepoint):
                needed.add(face.family)
                break
    faces = [f for f in all_faces if f.family in needed]
    rules = [
        f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; '
        f'src: url("{f.path.as_uri()}"); }}'
        for f in faces
    ]
    families = ", ".join(dict.fromkeys(f'"{f.family}"' for f in faces)) or "sans-serif"
    rules.append(f"body {{ font-family: {families}, sans-serif; }}")
    rules.append(
        f"@page {{ @top-center {{ font-family: {families}; }} @bottom-center {{ font-family: {families}; }} }}"
    )
    return "\n".join(rules)


def pdf(text: ExportText) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    directory = fonts_dir()
    if not (directory / PDF_FONTS[0]).exists():
        raise ValidationError(
            _l("PDF export needs the Noto fonts (npm @fontsource packages); run `make setup`."),
            code="fonts_missing",
        )
    page = html(text, for_pdf=True)
    fonts = FontConfiguration()
    stylesheet = CSS(string=font_css(directory, page), font_config=fonts)
    document = HTML(string=page, base_url=str(directory))
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


# --- Akoma Ntoso ----------------------------------------------------------------------------


def _akn(tag, parent=None, text=None, **attrs):
    element = (
        etree.SubElement(parent, f"{{{AKN_NS}}}{tag}")
        if parent is not None
        else etree.Element(f"{{{AKN_NS}}}{tag}", nsmap={None: AKN_NS})
    )
    for name, value in attrs.items():
        element.set(name, value)
    if text is not None:
        element.text = text
    return element


def _akn_inline(parent, runs) -> None:
    """Runs as mixed content: text, <b>, <i>, <a href>, <inline name="code">."""
    last = None
    for run in runs:
        target = parent
        if run.href:
            target = _akn("a", target, href=run.href)
        if run.bold:
            target = _akn("b", target)
        if run.italic:
            target = _akn("i", target)
        if run.code:
            target = _akn("inline", target, name="code")
        if target is parent:
            if last is None:
                parent.text = (parent.text or "") + run.text
            else:
                last.tail = (last.tail or "") + run.text
            continue
        target.text = run.text
        last = parent[-1]


def akoma_ntoso(text: ExportText) -> bytes:
    """Akoma Ntoso 3.0 `doc`: one `paragraph` per paragraph, its key as `eId`."""
    date = text.date.strftime("%Y-%m-%d")
    work = f"/akn/un/doc/{date}/{text.slug}"
    expression = f"{work}/{text.lang}@{date}"
    root = _akn("akomaNtoso")
    doc = _akn("doc", root, name=text.slug)
    meta = _akn("meta", doc)
    ident = _akn("identification", meta, source="#agora")
    for frbr, uri in (
        ("FRBRWork", work),
        ("FRBRExpression", expression),
        ("FRBRManifestation", f"{expression}/main.xml"),
    ):
        part = _akn(frbr, ident)
        _akn("FRBRthis", part, value=f"{uri}/main")
        _akn("FRBRuri", part, value=uri)
        _akn("FRBRdate", part, date=date, name="version")
        _akn("FRBRauthor", part, href="#agora")
        if frbr == "FRBRWork":
            _akn("FRBRcountry", part, value="un")
            _akn("FRBRname", part, value=text.title)
        if frbr == "FRBRExpression":
            _akn("FRBRversionNumber", part, value=text.label)
            _akn("FRBRlanguage", part, language=text.lang)
    references = _akn("references", meta, source="#agora")
    _akn(
        "TLCOrganization",
        references,
        eId="agora",
        href="/ontology/organization/agora",
        showAs="Agora drafts",
    )
    preface = _akn("preface", doc)
    long_title = _akn("longTitle", preface)
    title_p = _akn("p", long_title)
    _akn("docTitle", title_p, text=text.title)
    body = _akn("mainBody", doc)
    for paragraph in text.paragraphs:
        block = parse_block(paragraph.text)
        element = _akn("paragraph", body, eId=paragraph.key)
        if paragraph.lang != text.lang:
            element.set("{http://www.w3.org/XML/1998/namespace}lang", paragraph.lang)
        _akn("num", element, text=f"{paragraph.number}.")
        content = _akn("content", element)
        classes = {
            HEADING: f"heading level-{block.level}",
            BULLET: "bullet",
            ORDERED: "ordered",
            QUOTE: "quote",
        }
        p = _akn("p", content)
        if block.kind in classes:
            p.set("class", classes[block.kind])
        _akn_inline(p, block.runs)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
