"""Forms of the amendment pages (CSRF from Flask-WTF; the rules themselves live in services)."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField

from app.core.forms import PageForm


class ProposeForm(PageForm):
    kind = HiddenField(default="modify")
    paragraph = HiddenField()
    after = HiddenField()
    version = HiddenField()
    text = TextAreaField(_l("Proposed text (Markdown)"))
    rationale = TextAreaField(_l("Rationale"))
    on_behalf_of = StringField(_l("Speak"))  # a body slug; rendered as a select of speaking_choices


class RebaseForm(PageForm):
    text = TextAreaField(_l("Proposed text against today's paragraph (Markdown)"))


def speaking_choices(bodies) -> list[tuple[str, str]]:
    return [("", _l("Personally"))] + [
        (body.slug, _l("On behalf of %(name)s", name=body.name)) for body in bodies
    ]
