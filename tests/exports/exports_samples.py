"""Sample texts and helpers shared by the export and import tests."""

import io

from docx import Document as WordDocument

RICH_PARAGRAPHS = [
    "# Best practice on participation",
    "All stakeholder groups take part **as equals**, with *no* group first.",
    "See [the charter](https://example.org/charter) for the rules.",
    "- Every version is public.",
    "3. Amendments are weighed with `equal weight`.",
    "## Implementation",
    "Coordinators decide on amendments in the open.",
]


def open_docx(data: bytes) -> WordDocument:
    return WordDocument(io.BytesIO(data))


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def save_docx(word) -> bytes:
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def keyed_paragraph(word, key):
    """The python-docx paragraph that carries the bookmark of `key`."""
    from docx.oxml.ns import qn

    for paragraph in word.paragraphs:
        for mark in paragraph._p.iter(qn("w:bookmarkStart")):
            if mark.get(qn("w:name")) == "_Ag_" + key:
                return paragraph
    raise KeyError(key)


def _revision(tag, rid, author="Word user"):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    element.set(qn("w:id"), str(rid))
    element.set(qn("w:author"), author)
    element.set(qn("w:date"), "2026-11-30T10:00:00Z")
    return element


def _text_run(text, deleted=False):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    return r


def track_replace(paragraph, old, new, rid):
    """As Word does with Track Changes on: the run holding `old` is split, `old` goes into
    w:del and `new` into w:ins."""
    from copy import deepcopy

    from docx.oxml.ns import qn

    for run in paragraph.runs:
        if old in run.text:
            before, after = run.text.split(old, 1)
            r = run._r
            parent = r.getparent()
            index = parent.index(r)
            pieces = []
            if before:
                first = deepcopy(r)
                for t in first.iter(qn("w:t")):
                    t.text = before
                pieces.append(first)
            deletion = _revision("w:del", rid)
            deletion.append(_text_run(old, deleted=True))
            insertion = _revision("w:ins", rid + 1)
            insertion.append(_text_run(new))
            pieces += [deletion, insertion]
            if after:
                last = deepcopy(r)
                for t in last.iter(qn("w:t")):
                    t.text = after
                pieces.append(last)
            parent.remove(r)
            for offset, piece in enumerate(pieces):
                parent.insert(index + offset, piece)
            return
    raise ValueError(old)


def track_delete_paragraph(paragraph, rid):
    from docx.oxml.ns import qn

    p = paragraph._p
    for r in list(p.iter(qn("w:r"))):
        for t in list(r.iter(qn("w:t"))):
            t.tag = qn("w:delText")
        wrapper = _revision("w:del", rid)
        rid += 1
        r.addprevious(wrapper)
        wrapper.append(r)
    ppr = p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        from docx.oxml import OxmlElement

        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    rpr.append(_revision("w:del", rid))


def track_insert_after(paragraph, text, rid):
    """A new paragraph after `paragraph`, all of it a tracked insertion."""
    from docx.oxml import OxmlElement

    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    rpr = OxmlElement("w:rPr")
    rpr.append(_revision("w:ins", rid))
    ppr.append(rpr)
    p.append(ppr)
    insertion = _revision("w:ins", rid + 1)
    insertion.append(_text_run(text))
    p.append(insertion)
    paragraph._p.addnext(p)
    from docx.text.paragraph import Paragraph

    return Paragraph(p, paragraph._parent)
