"""Forms of the password pages."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.core.forms import PageForm


class ForgotForm(PageForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired("An e-mail address is required."), Length(max=254)]
    )
    submit = SubmitField(_l("Send me a reset link"))


class ResetForm(PageForm):
    password = PasswordField(_l("New password"), validators=[DataRequired("Choose a password.")])
    confirm = PasswordField(
        _l("Repeat it"), validators=[EqualTo("password", "The two passwords differ.")]
    )
    submit = SubmitField(_l("Set the new password"))
