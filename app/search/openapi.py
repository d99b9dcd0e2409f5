"""The OpenAPI description of the search API (app/search/api.py)."""

from app.accounts.models import STAKEHOLDER_GROUPS
from app.core.openapi import ERROR_CONTENT, document_paths, schema_ref
from app.search.queries import KINDS, MAX_PAGE, MAX_QUERY, ORDERS


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


_PLACE = {"type": ["object", "null"]}

document_paths(
    {
        "/api/search": {
            "get": {
                "summary": "One search over paragraphs (and translations), amendments, comments, "
                "discussion posts, bodies and people; hidden content is never found",
                "tags": ["search"],
                "parameters": [
                    _query(
                        "q",
                        {"type": "string", "maxLength": MAX_QUERY},
                        "Words that must all be found, in any language",
                    ),
                    _query(
                        "kind",
                        {"type": "string", "enum": list(KINDS)},
                        "Only this kind (repeat, or separate with commas, for several)",
                    ),
                    _query("document", {"type": "string"}, "Only within this document (slug)"),
                    _query(
                        "body",
                        {"type": "string"},
                        "Only what belongs to or speaks for this body (slug)",
                    ),
                    _query(
                        "group",
                        {"type": "string", "enum": list(STAKEHOLDER_GROUPS)},
                        "Only contributions of this stakeholder group",
                    ),
                    _query(
                        "order",
                        {"type": "string", "enum": list(ORDERS)},
                        "Best match first (default) or newest first",
                    ),
                    _query(
                        "page",
                        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        "Page number",
                    ),
                ],
                "responses": {
                    "200": {
                        "description": "One page of results",
                        "content": {"application/json": {"schema": schema_ref("SearchResults")}},
                    },
                    "400": {
                        "description": "Unknown kind or group, bad page, query too long, NUL",
                        **ERROR_CONTENT,
                    },
                    "404": {"description": "Unknown document or body", **ERROR_CONTENT},
                },
            }
        }
    },
    {
        "SearchResults": {
            "type": "object",
            "required": ["results", "total", "page", "per_page", "pages"],
            "properties": {
                "results": {"type": "array", "items": schema_ref("SearchResult")},
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "pages": {"type": "integer"},
            },
        },
        "SearchResult": {
            "type": "object",
            "required": ["kind", "id", "title", "snippet", "url", "document", "body", "language"],
            "properties": {
                "kind": {"type": "string", "enum": list(KINDS)},
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "snippet": {
                    "type": "string",
                    "description": "Escaped text with the matched words in <mark>",
                },
                "url": {"type": "string"},
                "document": {
                    **_PLACE,
                    "properties": {"slug": {"type": "string"}, "title": {"type": "string"}},
                },
                "body": {
                    **_PLACE,
                    "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
                },
                "language": {"type": ["string", "null"]},
                "group": {"type": ["string", "null"]},
                "paragraph": {
                    "type": ["string", "null"],
                    "description": "Paragraph key (documents)",
                },
                "created_at": {"type": "string", "format": "date-time"},
            },
        },
    },
)
