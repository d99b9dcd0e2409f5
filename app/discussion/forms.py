"""Forms for posting in the archives; the services check everything again."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import PageForm
from app.discussion.services import TEXT_MAX, TITLE_MAX

PERSONALLY = 0


def _behalf_field():
    # Choices are the poster's bodies; any other id reaches the service, which refuses it.
    return SelectField(_l("Post as"), coerce=int, default=PERSONALLY, validate_choice=False)


def set_behalf_choices(form, bodies) -> None:
    form.on_behalf_of.choices = [
        (PERSONALLY, "Yourself"),
        *((b.id, _l("On behalf of %(name)s", name=b.name)) for b in bodies),
    ]


class TopicForm(PageForm):
    title = StringField(
        _l("Subject"),
        validators=[DataRequired(_l("A topic needs a subject.")), Length(max=TITLE_MAX)],
    )
    text = TextAreaField(
        _l("Message"), validators=[DataRequired(_l("The message is empty.")), Length(max=TEXT_MAX)]
    )
    on_behalf_of = _behalf_field()
    submit = SubmitField(_l("Start topic"))


class ReplyForm(PageForm):
    parent_id = HiddenField()
    text = TextAreaField(
        _l("Your reply"),
        validators=[DataRequired(_l("The message is empty.")), Length(max=TEXT_MAX)],
    )
    on_behalf_of = _behalf_field()
    submit = SubmitField(_l("Post reply"))


class EditForm(PageForm):
    text = TextAreaField(
        _l("Message"), validators=[DataRequired(_l("The message is empty.")), Length(max=TEXT_MAX)]
    )
    submit = SubmitField(_l("Save changes"))
