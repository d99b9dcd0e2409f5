"""Forms of the account pages; the services check everything again."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.accounts.models import STAKEHOLDER_GROUPS
from app.accounts.regions import country_choices
from app.core.forms import PageForm


def _group_choices() -> list[tuple[str, str]]:
    return [("", _l("Choose a stakeholder group")), *STAKEHOLDER_GROUPS.items()]


def _country_choices() -> list[tuple[str, str]]:
    return [("", _l("Choose a country")), *country_choices()]


class _DetailsMixin:
    def set_choices(self) -> None:
        self.group.choices = _group_choices()
        self.country.choices = _country_choices()


class RegisterForm(_DetailsMixin, PageForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("A name is required.")), Length(max=120)]
    )
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("An e-mail address is required.")), Length(max=254)],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Choose a password."))])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
    )
    group = SelectField(
        _l("Stakeholder group"), validators=[DataRequired(_l("Choose a stakeholder group."))]
    )
    organization = StringField(_l("Organization"), validators=[Length(max=200)])
    country = SelectField(_l("Country"), validators=[DataRequired(_l("Choose a country."))])
    submit = SubmitField(_l("Register"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices()


class LoginForm(PageForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter your e-mail address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    submit = SubmitField(_l("Log in"))


class ProfileForm(_DetailsMixin, PageForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("A name is required.")), Length(max=120)]
    )
    group = SelectField(
        _l("Stakeholder group (a change waits for a focal point of the new group)"),
        validators=[DataRequired(_l("Choose a stakeholder group."))],
    )
    organization = StringField(_l("Organization"), validators=[Length(max=200)])
    country = SelectField(_l("Country"), validators=[DataRequired(_l("Choose a country."))])
    submit = SubmitField(_l("Save details"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices()


class PasswordForm(PageForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Choose a new password."))]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(_l("Repeat the new password.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
    )
    submit = SubmitField(_l("Change password"))


class EmailForm(PageForm):
    new_email = EmailField(
        _l("New e-mail address"),
        validators=[DataRequired("Enter the new e-mail address."), Length(max=254)],
    )
    email_password = PasswordField(
        _l("Current password"), validators=[DataRequired("Enter your current password.")]
    )
    submit = SubmitField(_l("Change e-mail address"))


class TokenForm(PageForm):
    token_name = StringField(_l("Token name"), validators=[Length(max=80)])
    submit = SubmitField(_l("Create token"))


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
