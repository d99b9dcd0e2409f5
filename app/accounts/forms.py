"""Forms of the account pages; the services check everything again."""

from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.accounts.models import STAKEHOLDER_GROUPS
from app.accounts.regions import country_choices
from app.main.forms import PageForm


def _group_choices() -> list[tuple[str, str]]:
    return [("", "Choose a stakeholder group"), *STAKEHOLDER_GROUPS.items()]


def _country_choices() -> list[tuple[str, str]]:
    return [("", "Choose a country"), *country_choices()]


class _DetailsMixin:
    def set_choices(self) -> None:
        self.group.choices = _group_choices()
        self.country.choices = _country_choices()


class RegisterForm(_DetailsMixin, PageForm):
    name = StringField("Name", validators=[DataRequired("A name is required."), Length(max=120)])
    email = EmailField(
        "E-mail", validators=[DataRequired("An e-mail address is required."), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired("Choose a password.")])
    confirm = PasswordField(
        "Repeat the password",
        validators=[
            DataRequired("Repeat the password."),
            EqualTo("password", "The two passwords differ."),
        ],
    )
    group = SelectField(
        "Stakeholder group", validators=[DataRequired("Choose a stakeholder group.")]
    )
    organization = StringField("Organization", validators=[Length(max=200)])
    country = SelectField("Country", validators=[DataRequired("Choose a country.")])
    submit = SubmitField("Register")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices()


class LoginForm(PageForm):
    email = EmailField("E-mail", validators=[DataRequired("Enter your e-mail address.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    submit = SubmitField("Log in")


class ProfileForm(_DetailsMixin, PageForm):
    name = StringField("Name", validators=[DataRequired("A name is required."), Length(max=120)])
    group = SelectField(
        "Stakeholder group (a change waits for a focal point of the new group)",
        validators=[DataRequired("Choose a stakeholder group.")],
    )
    organization = StringField("Organization", validators=[Length(max=200)])
    country = SelectField("Country", validators=[DataRequired("Choose a country.")])
    submit = SubmitField("Save details")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices()


class PasswordForm(PageForm):
    current = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    password = PasswordField("New password", validators=[DataRequired("Choose a new password.")])
    confirm = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired("Repeat the new password."),
            EqualTo("password", "The two passwords differ."),
        ],
    )
    submit = SubmitField("Change password")


class EmailForm(PageForm):
    new_email = EmailField(
        "New e-mail address",
        validators=[DataRequired("Enter the new e-mail address."), Length(max=254)],
    )
    email_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    submit = SubmitField("Change e-mail address")


class TokenForm(PageForm):
    token_name = StringField("Token name", validators=[Length(max=80)])
    submit = SubmitField("Create token")


def attach_error(form: PageForm, message: str) -> None:
    """Show a service's message beside the field it is about (or above the form)."""
    lowered = message.lower()
    for field_name, words in (
        ("email", ("e-mail",)),
        ("new_email", ("e-mail",)),
        ("current", ("current password",)),
        ("email_password", ("current password",)),
        ("password", ("password",)),
        ("group", ("group",)),
        ("country", ("country",)),
        ("organization", ("organization",)),
        ("name", ("name",)),
    ):
        field = getattr(form, field_name, None)
        if field is not None and any(word in lowered for word in words):
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
            return
    form.form_errors.append(message)
