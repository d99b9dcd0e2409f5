"""What an export contains, read through the documents, amendments and translations domains.

Every writer (DOCX, PDF, HTML, Markdown, text, Akoma Ntoso) takes one of these plain
objects, so the formats never query the database themselves.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from app.amendments.models import attribution
from app.amendments.queries import pending_by_paragraph
from app.core.languages import direction_of
from app.documents import hooks, queries
from app.documents.diffing import diff_paragraphs
from app.documents.routes import check_lang

# Written into every DOCX (core property `identifier`) so an upload names its origin.
IDENTIFIER_PREFIX = "agora"


@dataclass
class Paragraph:
    key: str
    number: int
    text: str  # Markdown
    lang: str = ""
    dir: str = "ltr"


@dataclass
class Change:
    """A tracked change: an amendment, or one side of a diff between two versions."""

    kind: str  # modify | insert | delete
    author: str
    date: datetime
    before: str = ""
    after: str = ""
    label: str = ""  # "#12" or "Rev.3"
    alternative: bool = False  # a competing amendment shown beside the first one


@dataclass
class Entry:
    """One paragraph of a tracked text with the changes proposed to it."""

    paragraph: Paragraph | None  # None: inserted by the change(s)
    changes: list[Change] = field(default_factory=list)


@dataclass
class ExportText:
    slug: str
    title: str
    version_number: int
    label: str
    date: datetime
    lang: str
    dir: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)  # tracked texts only
    subtitle: str = ""
    kind: str = "version"  # version | compilation | diff

    @property
    def identifier(self) -> str:
        return f"{IDENTIFIER_PREFIX}:{self.slug}:{self.version_number}:{self.lang}"

    def filename(self, extension: str) -> str:
        stem = {
            "version": f"{self.slug}-rev{self.version_number}-{self.lang}",
            "compilation": f"{self.slug}-rev{self.version_number}-compilation-{self.lang}",
            "diff": f"{self.slug}-{self.subtitle}-{self.lang}",
        }[self.kind]
        return re.sub(r"[^A-Za-z0-9._-]+", "-", stem) + "." + extension


def parse_identifier(value: str | None) -> tuple[str, int, str] | None:
    """(slug, version number, language) from a DOCX identifier, or None if it is not ours."""
    parts = (value or "").split(":")
    if len(parts) != 4 or parts[0] != IDENTIFIER_PREFIX or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2]), parts[3]


def version_text(document, version, lang: str | None = None) -> ExportText:
    """A version in one of its languages (untranslated paragraphs stay in the source)."""
    lang = check_lang(document, lang)
    rows = queries.version_paragraphs(version)
    items = [{"key": p.key, "text": p.text, "html": ""} for p in rows]
    localized = hooks.localize(document, version, lang, items)
    text_lang = lang or document.language
    return ExportText(
        slug=document.slug,
        title=document.title,
        version_number=version.number,
        label=version.label,
        date=version.created_at,
        lang=text_lang,
        dir=direction_of(text_lang),
        paragraphs=[
            Paragraph(
                row.key,
                row.number,
                item["text"],
                item.get("lang") or text_lang,
                item.get("dir") or direction_of(text_lang),
            )
            for row, item in zip(rows, localized, strict=True)
        ],
    )


def _amendment_change(amendment, alternative=False) -> Change:
    return Change(
        kind=amendment.kind,
        author=attribution(amendment),
        date=amendment.created_at,
        before=amendment.base_text if amendment.kind != "insert" else "",
        after=amendment.text,
        label=f"#{amendment.id}",
        alternative=alternative,
    )


def compilation_text(document) -> ExportText:
    """The current version with every pending amendment as a tracked change (source language)."""
    text = version_text(document, document.current_version)
    text.kind = "compilation"
    text.subtitle = "compilation text"
    pending = pending_by_paragraph(document)
    entries: list[Entry] = []

    def inserts(slot):
        for amendment in pending.get(slot, ()):
            entries.append(Entry(None, [_amendment_change(amendment)]))

    inserts("^")
    for paragraph in text.paragraphs:
        proposals = pending.get(paragraph.key, [])
        changes = [
            # Word can show one set of revisions per paragraph: competing ones become comments.
            _amendment_change(a, alternative=index > 0)
            for index, a in enumerate(proposals)
        ]
        entries.append(Entry(paragraph, changes))
        inserts(f"after:{paragraph.key}")
    text.entries = entries
    return text


def diff_text(document, before, after) -> ExportText:
    """The later version with the changes since the earlier one tracked, by the later's author."""
    text = version_text(document, after)
    text.kind = "diff"
    text.subtitle = f"rev{before.number}-to-rev{after.number}"
    author = after.author.name if after.author else f"{after.label} ({after.cause_label})"
    entries = []
    for item in diff_paragraphs(queries.version_texts(before), queries.version_texts(after)):
        number = item["number_after"] or item["number_before"]
        # "Reject all" in Word gives back the earlier version: paragraphs carry its text.
        paragraph = Paragraph(item["key"], number, item["before"] or item["after"], text.lang)
        if item["status"] == "unchanged":
            entries.append(Entry(paragraph))
            continue
        kind = {"modified": "modify", "inserted": "insert", "deleted": "delete"}[item["status"]]
        change = Change(
            kind, author, after.created_at, item["before"] or "", item["after"] or "", after.label
        )
        entries.append(Entry(None if kind == "insert" else paragraph, [change]))
    text.entries = entries
    text.label = f"{before.label} → {after.label}"
    return text
