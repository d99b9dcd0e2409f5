"""Forms of the moderation pages; the services check everything again."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import PageForm


class ReportForm(PageForm):
    target = HiddenField(validators=[DataRequired("Nothing to report.")])
    reason = TextAreaField(
        _l("What is wrong with it?"),
        validators=[DataRequired("Say what is wrong with it."), Length(max=2000)],
    )


class ResolveForm(PageForm):
    reason = TextAreaField(_l("Public reason"), validators=[Length(max=2000)])
