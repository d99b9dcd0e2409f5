"""Pages: the notification list, preferences, follow and unfollow buttons."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.guards import login_required
from app.accounts.routes import _safe_next
from app.core.actions import domain_action
from app.extensions import db
from app.notifications import bp, queries, services
from app.notifications.models import MAIL_MODES


@bp.route("/notifications")
@login_required
def index():
    rows = queries.notifications_of(current_user.id)
    follows = [(f, *queries.describe_follow(f)) for f in queries.follows_of(current_user.id)]
    return render_template("notifications/index.html", notifications=rows, follows=follows)


@bp.route("/notifications/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Mark one notification read and go to what it is about."""
    row = next(
        (n for n in queries.notifications_of(current_user.id, 1000) if n.id == notification_id),
        None,
    )
    if row is None:
        return redirect(url_for("notifications.index"))
    services.mark_read(current_user.id, notification_id)
    db.session.commit()
    return redirect(row.url)


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_all_read():
    services.mark_read(current_user.id)
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    pref = services.preference_of(current_user.id)
    if request.method == "POST":
        data = {
            "email": request.form.get("email", ""),
            "list_mail": request.form.get("list_mail") == "on",
            "kinds": {kind: (request.form.get(f"kind-{kind}") or None) for kind in services.KINDS},
        }
        with domain_action(_("Your mail preferences are saved.")) as outcome:
            services.update_preferences(current_user._get_current_object(), data)
        if not outcome.failed:
            return redirect(url_for("notifications.preferences"))
    return render_template(
        "notifications/preferences.html", pref=pref, kinds=services.KINDS, modes=MAIL_MODES
    )


@bp.route("/follow", methods=["POST"])
@login_required
def follow():
    kind = request.form.get("kind", "")
    back = _safe_next(request.form.get("next"))
    message = None
    with domain_action():
        target_id, label, _path = queries.resolve_target(kind, request.form.get("id", ""))
        if request.form.get("action") == "unfollow":
            services.unfollow_target(current_user.id, kind, target_id)
            message = _("You no longer follow %(label)s.", label=label)
        else:
            services.follow(current_user.id, kind, target_id)
            message = _(
                "You follow %(label)s: you will be told of what happens to it.", label=label
            )
    if message is not None:
        flash(message, "success")
    return redirect(back)
