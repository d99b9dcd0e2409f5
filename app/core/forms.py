"""Base class of the site's HTML forms."""

from flask import has_request_context, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict


class PageForm(FlaskForm):
    """A form of the HTML pages: it reads form-encoded bodies only.

    Flask-WTF would read a JSON body as the form's data, and JSON values that are not strings
    (numbers, lists, objects, a top-level array) break the fields. JSON clients use the API;
    a JSON body sent to a page is treated as an empty submission, so the form shows its errors.
    """

    class Meta:
        def wrap_formdata(self, form, formdata):
            if (
                formdata is not None
                and not hasattr(formdata, "getlist")  # Flask-WTF's "auto"
                and has_request_context()
                and request.is_json
                and not request.form
                and not request.files
            ):
                return ImmutableMultiDict()
            return FlaskForm.Meta.wrap_formdata(self, form, formdata)
