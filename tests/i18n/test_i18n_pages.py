"""Every page kind renders in the six languages; Arabic is right to left; no English is left
unmarked (pages rendered in a pseudo-locale whose every message is rewritten)."""

import re
from html.parser import HTMLParser

import pytest
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import open_as, page_urls
from sqlalchemy import String, Text, select

from app.extensions import db
from app.i18n.locale import CATALOG_DIR, INTERFACE_LANGUAGES
from tests.support.routes import make_world

OK = {200, 302, 303, 403, 404}
# Words that stay the same in every language (brand, formats, keys, codes).
NEUTRAL = {"Agora", "JSON", "XLIFF", "Markdown", "Atom", "Ctrl", "Enter", "Bearer", "flask", "seed"}
SELF_NAMES = set(INTERFACE_LANGUAGES.values())  # the switcher names each language in itself
PSEUDO = "eo"  # a real locale nobody chooses here, given a pseudo-translated catalog
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ",
)
_KEEP = re.compile(r"(%\(\w+\)[sd]|%%|<[^>]*>|&\w+;|`[^`]*`)")


def pseudo(text: str) -> str:
    """Accented letters, placeholders, tags and entities kept: no ASCII word survives."""
    parts = _KEEP.split(text)
    return "⟦" + "".join(p if _KEEP.fullmatch(p) else p.translate(_ACCENTED) for p in parts) + "⟧"


@pytest.fixture(scope="module")
def pseudo_world(tmp_path_factory, _postgres_schema):
    with (CATALOG_DIR / "messages.pot").open("rb") as handle:
        catalog = read_po(handle, locale=PSEUDO)
    for message in catalog:
        if message.id:
            if message.pluralizable:
                message.string = tuple(pseudo(message.id[1]) for _ in range(catalog.num_plurals))
            else:
                message.string = pseudo(message.id)
    folder = tmp_path_factory.mktemp("pseudo")
    target = folder / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    overrides = {"BABEL_TRANSLATION_DIRECTORIES": str(folder), "BABEL_FORCE_LOCALE": PSEUDO}
    app, values, actors = make_world(tmp_path_factory, _postgres_schema, "pseudo", overrides)
    yield app, values, actors
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class _Visible(HTMLParser):
    """Text nodes and the attributes people read or hear, outside scripts and styles."""

    ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-confirm", "aria-valuetext"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "pre", "textarea"):
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre", "textarea"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _content_words() -> set[str]:
    """Every word stored in the database (what people wrote, not the interface), and the
    self-names of the documents' languages."""
    chunks = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if columns:
            for row in db.session.execute(select(*columns)):
                chunks += [str(value) for value in row if value]
    words = set(re.findall(r"[A-Za-z]+", "\n".join(chunks)))
    tags = db.session.scalars(select(db.metadata.tables["document_language"].c.lang)).all()
    for tag in [*tags, *INTERFACE_LANGUAGES]:  # languages named in themselves
        words |= set(re.findall(r"[A-Za-z]+", Locale.parse(tag.replace("-", "_")).display_name))
    pseudo = Locale.parse(PSEUDO)  # country and language names come from CLDR, in the locale
    for name in [*pseudo.territories.values(), *pseudo.languages.values()]:
        words |= set(re.findall(r"[A-Za-z]+", name))
    return words


def _english_left(texts, content_words) -> list[str]:
    """Texts with an English word that is neither the content's nor a translated message's."""
    found = []
    for text in texts:
        if text in SELF_NAMES:
            continue
        outside = re.sub(r"⟦[^⟧]*⟧", " ", text)  # what the pseudo-locale did not rewrite
        words = re.findall(r"[A-Za-z]{4,}", outside)
        if any(w not in NEUTRAL and w not in content_words for w in words):
            found.append(text)
    return found


def test_every_page_kind_has_no_unmarked_english(pseudo_world):
    app, values, actors = pseudo_world
    client = app.test_client()
    with app.app_context():
        content = _content_words()
    problems = {}
    for actor in ("anonymous", "admin"):
        open_as(client, actors[actor])
        for endpoint, url in page_urls(values):
            response = client.get(url)
            assert response.status_code in OK, (url, response.status_code)
            if response.status_code != 200 or "text/html" not in response.content_type:
                continue
            parser = _Visible()
            parser.feed(response.get_data(as_text=True))
            left = _english_left(parser.texts, content)
            if left:
                problems[endpoint] = sorted(set(left))[:8]
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in sorted(problems.items()))


@pytest.mark.parametrize("language", list(INTERFACE_LANGUAGES))
def test_every_page_kind_renders_in_each_language(world, language):
    app, values, actors = world
    client = app.test_client()
    client.set_cookie("ui_language", language)
    failures = []
    for actor in ("anonymous", "participant"):
        open_as(client, actors[actor])
        for _endpoint, url in page_urls(values):
            response = client.get(url)
            if response.status_code not in OK:
                failures.append(f"{url}: {response.status_code}")
                continue
            if response.status_code == 200 and "text/html" in response.content_type:
                page = response.get_data(as_text=True)
                direction = "rtl" if language == "ar" else "ltr"
                if f'<html lang="{language}" dir="{direction}">' not in page:
                    failures.append(f"{url}: no <html lang={language} dir={direction}>")
    assert failures == []
