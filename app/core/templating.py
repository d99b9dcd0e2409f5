"""Jinja filters and globals shared by every template."""

import re

from flask import Flask
from markupsafe import Markup

from app.core.markdown import render_markdown
from app.core.renderdiff import rendered_diff, rendered_diff_sides
from app.i18n.locale import babel_datetime


def markdown_filter(text: str) -> Markup:
    return Markup(render_markdown(text or ""))  # noqa: S704  (sanitised by nh3)


_HEADING_TAG = re.compile(r"<(/?)h([1-5])>")


def demote_headings(html: str) -> Markup:
    """Headings one level down (h1 to h2 ... h5 to h6): inside a page whose own h1 is the
    document's title, the text's headings stay below it in the outline."""
    return Markup(_HEADING_TAG.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}>", str(html)))  # noqa: S704


def datetime_filter(value, fmt: str = "%Y-%m-%d %H:%M UTC") -> str:
    """Dates through Babel in the interface language; the strftime names pick a Babel format."""
    return babel_datetime(value, fmt) if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = markdown_filter
    app.jinja_env.filters["demote_headings"] = demote_headings
    app.jinja_env.filters["dt"] = datetime_filter
    # Changes shown on the formatted text: {{ before|rendered_diff(after) }}.
    app.jinja_env.filters["rendered_diff"] = rendered_diff
    app.jinja_env.globals["rendered_diff_sides"] = rendered_diff_sides
    # Lets shared templates link to pages of domains only when they are registered.
    app.jinja_env.globals["url_rules"] = {rule.endpoint for rule in app.url_map.iter_rules()}
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
