"""The five translated catalogs are complete, never fuzzy, and keep every placeholder."""

import re
from pathlib import Path

import pytest
from babel.messages.checkers import num_plurals, python_format
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.i18n import check

ROOT = Path(__file__).resolve().parents[2]
CATALOG_DIR = ROOT / "app" / "i18n"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalog(language):
    with (CATALOG_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _extracted_ids() -> set[str]:
    """Every message marked in the sources now (what `make messages` would extract)."""
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
    ids = set()
    for folder, pattern, method in (
        ("app", "**.py", "python"),
        ("templates", "**.html", "jinja2"),
        ("assets/js", "**.js", "javascript"),
    ):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / folder), [(pattern, method)], keywords=keywords
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


@pytest.mark.parametrize("language", check.LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    assert check.untranslated(language) == []


@pytest.mark.parametrize("language", check.LANGUAGES)
def test_placeholders_and_plural_forms_pass_babels_checkers(language):
    catalog = _catalog(language)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        for checker in (python_format, num_plurals):
            try:
                checker(catalog, message)
            except Exception as error:  # babel raises TranslationError
                problems.append(f"{message.id!r}: {error}")
    assert problems == []


@pytest.mark.parametrize("language", check.LANGUAGES)
def test_no_translation_invents_or_drops_a_placeholder(language):
    """pofilter's `variables` check: the same named placeholders (plural `num` may go)."""
    problems = []
    for message in _catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            if found - wanted or (wanted - {"num"}) - found:
                problems.append(f"{ids[0]!r} -> {string!r}")
    assert problems == []


def test_catalogs_hold_every_marked_message():
    """A string marked in the code but absent from the catalogs would show in English."""
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog("fr") if m.id}
    missing = sorted(_extracted_ids() - known)
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing[:20])


def test_no_unmarked_interface_string_in_templates_or_python():
    findings = []
    for path in check.interface_templates():
        findings += [
            f"{path.name}:{n}: {t}" for n, t in check.unmarked_in_template(path.read_text())
        ]
    for path in sorted((ROOT / "app").rglob("*.py")):
        findings += [f"{path.name}:{n}: {t}" for n, t in check.unmarked_in_python(path.read_text())]
    assert findings == []


def test_the_scanner_finds_unmarked_text_and_accepts_marked_text():
    source = '<p title="Hover text">Plain words {{ x }}</p><p>{{ _("Marked") }}</p><script>var a = "x y";</script>'
    found = [text for _line, text in check.unmarked_in_template(source)]
    assert found == ["Plain words", "title=Hover text"] or sorted(found) == sorted(
        ["Plain words", "title=Hover text"]
    )
    assert check.unmarked_in_python('raise ValidationError("Bad thing.")')
    assert not check.unmarked_in_python('raise ValidationError(_l("Bad thing."))')
