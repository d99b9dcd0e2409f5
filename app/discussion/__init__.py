from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("discussion", __name__)

from app.core.textdiff import diff_html  # noqa: E402
from app.discussion import api, feeds, hooks, routes  # noqa: E402,F401
from app.discussion.templating import archive_for  # noqa: E402
from app.documents.hooks import document_tab  # noqa: E402

document_tab("discussion.document_discussions", _l("Discussion"), 70)


def init_app(app):
    app.jinja_env.globals["discussion_archive"] = archive_for
    app.jinja_env.globals.setdefault("diff_html", diff_html)
