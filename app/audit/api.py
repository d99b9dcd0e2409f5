"""GET /api/audit: the public trail of a public object, or everything for administrators."""

from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from app.accounts.api_auth import api_user
from app.audit import (
    openapi,  # noqa: F401 - registers the description
    queries,
)
from app.core.api import bp, page_param
from app.core.errors import Forbidden, NotFound


@bp.get("/audit")
def api_audit():
    user = api_user(required=False)
    full = user is not None and bool(user.is_admin)
    value = request.args.get("object")
    filters = queries.Filters(action=(request.args.get("action") or None))
    if value:
        filters.object_kind, filters.object_id = queries.parse_object(value)
        if not full and not queries.is_public_kind(filters.object_kind):
            raise NotFound(_l("This object has no public audit trail."))
    elif not full:
        raise Forbidden(
            _l("object=<kind>:<id> is required; only administrators list the whole log."),
            code="object_required",
        )
    page = page_param()
    rows, total = queries.entries(filters, public_only=not full, page=page)
    return jsonify(
        {
            "entries": [queries.entry_json(e, full=full) for e in rows],
            "total": total,
            "page": page,
            "per_page": queries.PER_PAGE,
        }
    )
