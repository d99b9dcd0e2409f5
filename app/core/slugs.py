"""Slugs for addresses: readable ASCII, unique per table."""

import re
import unicodedata

from app.extensions import db

MAX_BASE = 80


def slugify(text: str, fallback: str = "") -> str:
    """Lower-case ASCII words joined by hyphens, at most 80 characters; `fallback` if empty."""
    normalized = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", normalized.lower()).strip("-")
    return slug[:MAX_BASE].strip("-") or fallback


def unique_slug(base: str, column, max_length: int) -> str:
    """`base`, or `base-2`, `base-3`... whichever `column` does not hold yet.

    The base is shortened only when base and suffix would not fit `max_length`.
    """
    slug, n = base, 2
    while db.session.scalar(db.select(column).where(column == slug).limit(1)) is not None:
        suffix = f"-{n}"
        slug, n = base[: max_length - len(suffix)].rstrip("-") + suffix, n + 1
    return slug
