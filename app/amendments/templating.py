"""Jinja helpers of the amendment templates (also used by the panels on document pages)."""

from markupsafe import Markup, escape

from app.amendments.chart import chart
from app.amendments.models import attribution
from app.amendments.tally import percent
from app.core.textdiff import diff_html


def tracked_changes(amendment) -> Markup:
    """The amendment as word-level tracked changes of its paragraph (every piece escaped)."""
    if amendment.kind == "insert":
        return Markup(f'<ins class="diff-ins">{escape(amendment.text)}</ins>')  # noqa: S704
    if amendment.kind == "delete":
        return Markup(f'<del class="diff-del">{escape(amendment.base_text)}</del>')  # noqa: S704
    return diff_html(amendment.base_text, amendment.text)


def register(app) -> None:
    app.add_template_filter(tracked_changes, "tracked_changes")
    app.add_template_filter(attribution, "attribution")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(chart, "tally_chart")
    app.add_template_filter(diff_html, "word_diff_html")
