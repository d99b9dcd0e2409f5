"""Jinja helpers of the amendment templates (also used by the panels on document pages)."""

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

from app.accounts.models import STAKEHOLDER_GROUPS
from app.amendments.charts import chart
from app.amendments.models import attribution
from app.amendments.tally import percent
from app.core.renderdiff import rendered_diff
from app.core.textdiff import diff_html


def tracked_changes(amendment) -> Markup:
    """The amendment as tracked changes on the formatted text of its paragraph."""
    if amendment.kind == "insert":
        return rendered_diff("", amendment.text)
    if amendment.kind == "delete":
        return rendered_diff(amendment.base_text, "")
    return rendered_diff(amendment.base_text, amendment.text)


def _body_link(body) -> Markup:
    try:
        href = url_for("bodies.show", slug=body.slug)
    except (BuildError, RuntimeError):
        return Markup("{}").format(body.name)
    return Markup('<a class="amend-body" href="{}">{}</a>').format(href, body.name)


def attribution_html(amendment_or_comment, author=None) -> Markup:
    """How pages name a contribution.

    On behalf of a body it reads as that body's position, the body linked to its page:
    "Digital rights caucus (position; proposed by Mei Tan, Private sector)". Personal
    contributions keep the compilation style "Government (Lucas Pereira)".
    """
    body = amendment_or_comment.on_behalf_body
    if body is None:
        return Markup("{}").format(attribution(amendment_or_comment, author))
    person = (
        author or getattr(amendment_or_comment, "proposer", None) or amendment_or_comment.author
    )
    group = getattr(amendment_or_comment, "proposer_group", None) or person.group
    template = (
        _("%(body)s (position; proposed by %(name)s, %(group)s)")
        if hasattr(amendment_or_comment, "proposer_id")
        else _("%(body)s (position; posted by %(name)s, %(group)s)")
    )
    return escape(template) % {
        "body": _body_link(body),
        "name": person.name,
        "group": STAKEHOLDER_GROUPS.get(group, group),
    }


def register(app) -> None:
    app.add_template_filter(tracked_changes, "tracked_changes")
    app.add_template_filter(attribution_html, "attribution")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(chart, "tally_chart")
    app.add_template_filter(diff_html, "word_diff_html")
