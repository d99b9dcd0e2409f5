"""OpenAPI description assembled from the pieces each domain's api.py registers."""

from app.core.routing import MAX_URL_INT

PATHS: dict[str, dict] = {}
SCHEMAS: dict[str, dict] = {}


def document_paths(paths: dict[str, dict], schemas: dict[str, dict] | None = None) -> None:
    """Add a domain's operations (OpenAPI 3.1 path items) and component schemas to the spec."""
    for path, item in paths.items():
        PATHS.setdefault(path, {}).update(item)
    SCHEMAS.update(schemas or {})


def spec() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Agora drafting platform API",
            "version": "1.0",
            "description": "Documents, versions, amendments, live drafts, translations and bodies. "
            "Reads are public; writes need `Authorization: Bearer <personal API token>`. "
            'Errors are `{"error": {"code", "message"}}`.',
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                            },
                            "required": ["code", "message"],
                        }
                    },
                },
                **SCHEMAS,
            },
        },
        "paths": dict(sorted(PATHS.items())),
    }


def schema_ref(name: str) -> dict:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def json_request(schema: dict) -> dict:
    """A required JSON request body of the given schema."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}


# The body of every error answer, for a response object: {"description": ..., **ERROR_CONTENT}.
ERROR_CONTENT = {"content": {"application/json": {"schema": schema_ref("Error")}}}


def error_responses(descriptions: dict, *codes) -> dict:
    """Error responses by status code, each described in the domain's own words."""
    return {str(code): {"description": descriptions[code], **ERROR_CONTENT} for code in codes}


def path_param(name: str, type_: str = "string", description: str | None = None) -> dict:
    """A required path parameter, the same shape in every domain's description."""
    param = {"name": name, "in": "path", "required": True, "schema": {"type": type_}}
    if type_ == "integer":
        # URLs carry 32-bit identifiers only (BoundedIntegerConverter).
        param["schema"].update(minimum=0, maximum=MAX_URL_INT)
    if description:
        param["description"] = description
    return param
