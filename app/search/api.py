"""GET /api/search: the same search as the page, as JSON."""

from flask import jsonify, request

from app.core.api import bp
from app.search import openapi  # noqa: F401 - registers the description
from app.search.queries import parse_criteria, search


@bp.get("/search")
def api_search():
    criteria = parse_criteria(request.args)
    page = search(criteria)
    return jsonify(
        {
            "results": [dict(result, snippet=str(result["snippet"])) for result in page.items],
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "pages": page.pages,
        }
    )
