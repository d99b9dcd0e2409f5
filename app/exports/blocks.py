"""One paragraph's Markdown as a block of formatted runs, and back (pure functions).

Every format that is not Markdown (DOCX, Akoma Ntoso, plain text) and every DOCX import
goes through this model, so a paragraph that comes back from Word with the same words and
formatting is recognised as unchanged and keeps its Markdown source byte for byte.
"""

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from app.core.markdown import parse_tokens

HEADING, PARAGRAPH, BULLET, ORDERED, QUOTE, CODE = (
    "heading",
    "paragraph",
    "bullet",
    "ordered",
    "quote",
    "code",
)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    href: str | None = None

    @property
    def style(self) -> tuple:
        return (self.bold, self.italic, self.code, self.strike, self.href)


@dataclass(frozen=True)
class Block:
    """Frozen: parse_block caches its results, shared by every export of the same text."""

    kind: str = PARAGRAPH
    level: int = 0  # heading level
    marker: str = ""  # the number of an ordered list item
    runs: tuple[Run, ...] | list[Run] = ()

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    def signature(self) -> tuple:
        """What a reader sees: kind, level and the merged runs (Markdown spelling aside)."""
        return (self.kind, self.level, tuple(merge_runs(self.runs)))


def merge_runs(runs) -> list[Run]:
    """Adjacent runs of the same formatting as one; empty runs dropped."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and merged[-1].style == run.style:
            merged[-1] = replace(merged[-1], text=merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged


_INLINE_FLAGS = {"strong": "bold", "em": "italic", "s": "strike"}


def _inline_runs(children) -> list[Run]:
    runs: list[Run] = []
    flags = {"bold": 0, "italic": 0, "strike": 0}
    hrefs: list[str] = []

    def add(text, **extra):
        runs.append(
            Run(
                text,
                bold=flags["bold"] > 0,
                italic=flags["italic"] > 0,
                strike=flags["strike"] > 0,
                href=hrefs[-1] if hrefs else None,
                **extra,
            )
        )

    for token in children or ():
        kind = token.type
        base = kind.rsplit("_", 1)[0]
        if base in _INLINE_FLAGS and kind.endswith(("_open", "_close")):
            flags[_INLINE_FLAGS[base]] += 1 if kind.endswith("_open") else -1
        elif kind == "link_open":
            hrefs.append(token.attrGet("href") or "")
        elif kind == "link_close":
            if hrefs:
                hrefs.pop()
        elif kind == "code_inline":
            add(token.content, code=True)
        elif kind in ("softbreak", "hardbreak"):
            add("\n")
        elif kind == "image":
            add(token.content or "image")
        elif token.content:
            add(token.content)
    return runs


@lru_cache(maxsize=16384)
def parse_block(markdown: str) -> Block:
    """The block of one stored paragraph (its first top-level Markdown block decides the kind)."""
    tokens = parse_tokens(markdown)
    first = next((t for t in tokens if t.level == 0 and t.nesting != -1), None)
    if first is None:
        return Block()
    kind, level, marker = PARAGRAPH, 0, ""
    if first.type == "heading_open":
        kind, level = HEADING, int(first.tag[1:])
    elif first.type == "bullet_list_open":
        kind = BULLET
    elif first.type == "ordered_list_open":
        kind, marker = ORDERED, str(first.attrGet("start") or 1)
    elif first.type == "blockquote_open":
        kind = QUOTE
    elif first.type in ("fence", "code_block"):
        kind = CODE
    runs: list[Run] = []
    for token in tokens:
        piece: list[Run] = []
        if token.type == "inline":
            piece = _inline_runs(token.children)
        elif token.type in ("fence", "code_block"):
            piece = [Run(token.content.rstrip("\n"), code=True)]
        if piece:
            if runs:
                runs.append(Run("\n"))
            runs.extend(piece)
    return Block(kind, level, marker, tuple(merge_runs(runs)))


_ESCAPE = re.compile(r"([\\`*_\[\]<>])")
# What would start a block at the beginning of a line: markers, headings, rules, numbers.
_LINE_START = re.compile(r"^(\s*)([#>+=~-])", re.MULTILINE)
_NUMBER_START = re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.MULTILINE)


def _escape(text: str) -> str:
    text = _ESCAPE.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _NUMBER_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _run_markdown(run: Run) -> str:
    if run.code:
        fence = "``" if "`" in run.text else "`"
        return f"{fence}{run.text}{fence}"
    core = run.text
    lead = core[: len(core) - len(core.lstrip())]
    trail = core[len(core.rstrip()) :]
    inner = _escape(core.strip())
    if not inner:
        return core
    if run.strike:
        inner = f"~~{inner}~~"
    if run.italic:
        inner = f"*{inner}*"
    if run.bold:
        inner = f"**{inner}**"
    return lead + inner + trail


def to_markdown(block: Block) -> str:
    """Markdown for a block built from a Word paragraph."""
    if block.kind == CODE:
        return "```\n" + block.text + "\n```"
    parts: list[str] = []
    runs = merge_runs(block.runs)
    index = 0
    while index < len(runs):
        run = runs[index]
        if run.href:
            group = []
            while index < len(runs) and runs[index].href == run.href:
                group.append(replace(runs[index], href=None))
                index += 1
            label = "".join(_run_markdown(r) for r in group)
            parts.append(f"[{label}]({run.href.replace(')', '%29').replace(' ', '%20')})")
            continue
        parts.append(_run_markdown(run))
        index += 1
    text = "".join(parts).strip()
    text = re.sub(r"\n+", "  \n", text) if block.kind != QUOTE else text.replace("\n", "\n> ")
    prefix = {
        HEADING: "#" * max(1, min(block.level, 6)) + " ",
        BULLET: "- ",
        ORDERED: f"{block.marker or '1'}. ",
        QUOTE: "> ",
    }.get(block.kind, "")
    return prefix + text


def to_plain(block: Block) -> str:
    prefix = {BULLET: "• ", ORDERED: f"{block.marker}. "}.get(block.kind, "")
    return prefix + block.text
