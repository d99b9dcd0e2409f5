"""Forms of the password pages."""

from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.main.forms import PageForm


class ForgotForm(PageForm):
    email = EmailField(
        "E-mail", validators=[DataRequired("An e-mail address is required."), Length(max=254)]
    )
    submit = SubmitField("Send me a reset link")


class ResetForm(PageForm):
    password = PasswordField("New password", validators=[DataRequired("Choose a password.")])
    confirm = PasswordField(
        "Repeat it", validators=[EqualTo("password", "The two passwords differ.")]
    )
    submit = SubmitField("Set the new password")
