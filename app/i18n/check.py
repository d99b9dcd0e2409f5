"""Find interface strings not marked for translation, and catalog messages not translated.

Run at merge time (`python -m app.i18n.check`, also the last step of `make messages`): other
branches add pages in parallel, and their new strings must be wrapped in `_()` and translated.
Exit status 1 when anything is found, with one line per finding.
"""

import ast
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = Path(__file__).resolve().parent
LANGUAGES = ("ar", "zh", "fr", "ru", "es")
# Exceptions whose message is shown to people, and calls whose text is shown as is.
SHOWN_CALLS = {
    "DomainError",
    "ValidationError",
    "NotFound",
    "Forbidden",
    "Conflict",
    "TooLarge",
    "Unauthenticated",
    "flash",
}
FIELD_CALL = re.compile(r"[A-Z]\w*Field$")
WORDS = re.compile(r"[A-Za-z]{2,}")
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<!--.*?-->", re.S)
ATTRIBUTES = re.compile(r'\s(placeholder|title|aria-label|alt|data-confirm)="([^"]*)"')
# Words that are the same in every language here (brand, formats, keys).
NEUTRAL = {"Agora", "API", "JSON", "XLIFF", "Atom", "Markdown", "UTC", "Ctrl", "Enter", "Esc"}


def _is_text(piece: str) -> bool:
    words = [w for w in WORDS.findall(piece) if w not in NEUTRAL]
    return bool(words)


def _tag_end(source: str, start: int) -> int:
    """The end of the HTML tag opened at `start`, skipping Jinja inside it."""
    index, quote = start + 1, None
    while index < len(source):
        if source.startswith("{{", index) or source.startswith("{%", index):
            close = source.find("}}" if source[index + 1] == "{" else "%}", index)
            index = (close + 2) if close >= 0 else len(source)
            continue
        char = source[index]
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == ">":
            return index + 1
        index += 1
    return len(source)


def unmarked_in_template(source: str) -> list[tuple[int, str]]:
    """(line, text) of text nodes and attributes holding English outside `_()`."""
    found, index, text_start, skip_until = [], 0, 0, None

    def report(start: int, end: int) -> None:
        text = JINJA.sub(" ", source[start:end])
        for line_offset, line in enumerate(text.split("\n")):
            if _is_text(line):
                found.append((source.count("\n", 0, start) + 1 + line_offset, line.strip()))

    while index < len(source):
        if skip_until:
            end = source.find(skip_until, index)
            index, skip_until, text_start = (len(source) if end < 0 else end), None, index
            text_start = index
            continue
        match = JINJA.match(source, index)
        if match:
            index = match.end()
            continue
        if (
            source[index] == "<"
            and index + 1 < len(source)
            and source[index + 1].isalpha() | (source[index + 1] in "/!")
        ):
            report(text_start, index)
            end = _tag_end(source, index)
            tag = source[index:end]
            for attribute in ATTRIBUTES.finditer(tag):
                value = JINJA.sub(" ", attribute.group(2))
                if _is_text(value):
                    found.append(
                        (source.count("\n", 0, index) + 1, f"{attribute.group(1)}={value}")
                    )
            script = re.match(r"<(script|style)\b", tag)
            skip_until = f"</{script.group(1)}" if script else None
            index = text_start = end
            continue
        index += 1
    report(text_start, len(source))
    return found


def unmarked_in_python(source: str) -> list[tuple[int, str]]:
    """(line, text) of plain literals given to exceptions, flash() or form fields."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name not in SHOWN_CALLS and not FIELD_CALL.match(name):
            continue
        first = node.args[0]
        if isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and _is_text(first.value)
        ):
            found.append((node.lineno, ast.get_source_segment(source, first)[:80]))
    return found


def untranslated(language: str) -> list[str]:
    path = CATALOGS / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if message.pluralizable else [message.string]
        if message.fuzzy or not all(strings):
            problems.append(message.id if isinstance(message.id, str) else message.id[0])
    return problems


def interface_templates() -> list[Path]:
    """Every page template, and the plain-text mail bodies (mail is in its reader's language)."""
    templates = ROOT / "templates"
    return sorted(templates.rglob("*.html")) + sorted((templates / "mail").rglob("*.txt"))


def main() -> int:
    findings = []
    for path in interface_templates():
        for line, text in unmarked_in_template(path.read_text()):
            findings.append(f"{path.relative_to(ROOT)}:{line}: unmarked: {text[:80]}")
    for path in sorted((ROOT / "app").rglob("*.py")):
        for line, text in unmarked_in_python(path.read_text()):
            findings.append(f"{path.relative_to(ROOT)}:{line}: unmarked: {text}")
    for language in LANGUAGES:
        for message in untranslated(language):
            findings.append(f"app/i18n/{language}: untranslated or fuzzy: {message[:80]}")
    print("\n".join(findings) or "Every interface string is marked and translated.")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
