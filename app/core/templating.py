"""Jinja filters and globals shared by every template."""

from flask import Flask
from markupsafe import Markup

from app.accounts.models import STAKEHOLDER_GROUPS
from app.core.markdown import render_markdown


def markdown_filter(text: str) -> Markup:
    return Markup(render_markdown(text or ""))  # noqa: S704  (sanitised by nh3)


def datetime_filter(value, fmt: str = "%Y-%m-%d %H:%M UTC") -> str:
    return value.strftime(fmt) if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = markdown_filter
    app.jinja_env.filters["dt"] = datetime_filter
    app.jinja_env.globals["STAKEHOLDER_GROUPS"] = STAKEHOLDER_GROUPS
    # Lets shared templates link to pages of domains only when they are registered.
    app.jinja_env.globals["url_rules"] = {rule.endpoint for rule in app.url_map.iter_rules()}
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
