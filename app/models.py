"""Import every domain's models so that metadata (and so migrations) sees them all."""

from app.accounts.models import ApiToken, User  # noqa: F401
from app.bodies.models import Body, Membership  # noqa: F401
from app.documents.models import Document, Version, VersionParagraph  # noqa: F401
