"""The Atom feed of a document's versions."""

from flask import url_for

from app.core.atom import AtomFeed

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _summary(entry: dict) -> str:
    version = entry["version"]
    parts = [f"{version.cause_label}."]
    if version.message:
        message = version.message.strip()
        parts.append(message if message[-1:] in ".!?" else message + ".")
    counts = entry["counts"]
    if counts is None:
        parts.append(f"{entry['paragraphs']} paragraphs.")
    else:
        parts.append(
            f"{counts['modified']} paragraphs modified, {counts['inserted']} inserted, "
            f"{counts['deleted']} deleted, {counts['moved']} moved."
        )
    return " ".join(parts)


def atom_feed(
    document, entries: list[dict], *, self_url: str, page_url: str, lang: str | None = None
) -> bytes:
    """Serialise the feed; `entries` (newest first) hold version, counts, link, paragraphs.

    `lang` is the language the feed's links read the document in; the feed carries it as
    xml:lang. A feed in a translation links every entry to that version's text in it.
    """
    translated = bool(lang) and lang != document.language
    suffix = f" ({lang})" if translated else ""
    feed = AtomFeed(
        feed_id=self_url,
        title=f"{document.title}: versions{suffix}",
        subtitle=(
            f"Every version of {document.title}, to read in {lang}."
            if translated
            else f"Every version of {document.title}, with links to what changed."
        ),
        updated=entries[0]["version"].created_at if entries else document.created_at,
        self_url=self_url,
        page_url=page_url,
        author=document.owner.name if document.owner else "Agora drafting platform",
    )
    feed.root.set(XML_LANG, lang or document.language)
    for item in entries:
        version = item["version"]
        title = f"{document.title} {version.label}"
        if version.message:
            title += f": {version.message[:120]}"
        feed.add_entry(
            entry_id=url_for(
                "documents.version",
                slug=document.slug,
                number=version.number,
                lang=lang if translated else None,
                _external=True,
            ),
            title=title,
            link=item["link"],
            updated=version.created_at,
            published=version.created_at,
            author=version.author.name if version.author is not None else None,
            summary=_summary(item),
        )
    if translated:
        # Titles and summaries are the source's and the platform's words, not translations.
        for element in feed.root.iter("{http://www.w3.org/2005/Atom}entry"):
            element.set(XML_LANG, document.language)
    return feed.to_bytes()
