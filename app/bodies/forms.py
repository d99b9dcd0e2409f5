"""Forms of the bodies pages (Flask-WTF: CSRF included)."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.bodies.models import SELECTION_ROLES
from app.core.forms import PageForm
from app.core.timeutil import utcnow

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _default(days: int):
    return lambda: (utcnow() + timedelta(days=days)).replace(second=0, microsecond=0, tzinfo=None)


class SelectionForm(PageForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description (Markdown)"), validators=[Optional(), Length(max=5000)]
    )
    seats = IntegerField(
        _l("Seats"), default=2, validators=[DataRequired(), NumberRange(min=1, max=1000)]
    )
    role = SelectField(
        _l("Elected candidates become"),
        choices=[SelectChoice(k, v) for k, v in SELECTION_ROLES.items()],
        default="coordinator",
    )
    min_south = IntegerField(
        _l("At least this many seats for the South"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=1000)],
    )
    min_north = IntegerField(
        _l("At least this many seats for the North"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=1000)],
    )
    max_per_group = IntegerField(
        _l("At most this many seats per stakeholder group (empty: no limit)"),
        validators=[Optional(), NumberRange(min=1, max=1000)],
    )
    nomination_ends_at = DateTimeLocalField(
        _l("Nominations close (UTC)"),
        format=DATETIME_FORMAT,
        default=_default(7),
        validators=[DataRequired()],
    )
    voting_starts_at = DateTimeLocalField(
        _l("Voting opens (UTC)"),
        format=DATETIME_FORMAT,
        default=_default(7),
        validators=[DataRequired()],
    )
    voting_ends_at = DateTimeLocalField(
        _l("Voting closes (UTC)"),
        format=DATETIME_FORMAT,
        default=_default(14),
        validators=[DataRequired()],
    )
