"""Forms of the translation pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import PageForm
from app.translations.services import MAX_TRANSLATION_TEXT


class AddLanguageForm(PageForm):
    lang = StringField(
        _l("Language code (BCP 47)"),
        validators=[DataRequired(_l("Give a language code.")), Length(max=35)],
    )


class TranslationForm(PageForm):
    text = TextAreaField(
        _l("Translation"),
        validators=[
            DataRequired(_l("A translation cannot be empty.")),
            Length(max=MAX_TRANSLATION_TEXT),
        ],
    )
    version = HiddenField()
    show = HiddenField()


class ReviewForm(PageForm):
    version = HiddenField()
    show = HiddenField()


class XliffUploadForm(PageForm):
    file = FileField(
        _l(_l("XLIFF file")), validators=[FileRequired(_l("Choose an XLIFF file to import."))]
    )
