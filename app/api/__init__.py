"""The public JSON API under /api: the blueprint lives in app/core/api.py, where each domain's
api.py registers its routes; this package assembles the description (openapi.json)."""

from app.api import routes  # noqa: E402,F401
from app.core.api import bp  # noqa: F401
