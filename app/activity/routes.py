"""The "my activity" page of the signed-in person."""

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.guards import login_required
from app.activity import bp, queries
from app.amendments.models import STANCES

FOLLOW_KIND_LABELS = {
    "document": _l("Document"),
    "amendment": _l("Amendment"),
    "body": _l("Body"),
    "thread": _l("Discussion thread"),
}


@bp.route("/me/activity")
@login_required
def mine():
    return render_template(
        "activity/mine.html",
        activity=queries.activity_of(current_user.id),
        stances=STANCES,
        follow_kinds=FOLLOW_KIND_LABELS,
    )
