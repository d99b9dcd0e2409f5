"""/admin/audit: the complete log, for administrators, with filters."""

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.guards import login_required
from app.audit import bp, queries
from app.audit.labels import action_label
from app.bodies.queries import valid_id
from app.core.errors import DomainError


@bp.route("/admin/audit")
@login_required
def admin_log():
    if not current_user.is_admin:
        abort(403)
    filters = queries.Filters(action=(request.args.get("action") or "").strip() or None)
    error = None
    value = (request.args.get("object") or "").strip()
    try:
        if value:
            filters.object_kind, filters.object_id = queries.parse_object(value)
        actor = (request.args.get("actor") or "").strip()
        if actor:
            filters.actor_id = valid_id(actor)
            if filters.actor_id is None:
                raise DomainError(_l("The actor is a person's number."))
        page = valid_id(request.args.get("page", "1")) or 1
        rows, total = queries.entries(filters, public_only=False, page=page)
    except DomainError as exc:
        error, rows, total, page = exc.message, [], 0, 1
    return render_template(
        "audit/admin.html",
        entries=rows,
        total=total,
        page=page,
        per_page=queries.PER_PAGE,
        error=error,
        args=request.args,
        action_label=action_label,
    ), (400 if error else 200)
