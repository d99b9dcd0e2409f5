"""Checks shared by every amendment service: who may act, and what text is acceptable."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.bodies.queries import body_by_slug, is_member
from app.core.errors import Conflict, Forbidden, TooLarge, ValidationError
from app.core.timeutil import utcnow
from app.documents import permissions
from app.documents.models import Version


def require_participant(user) -> None:
    if not permissions.can_participate(user):
        raise Forbidden(_l("Log in to take part."))


def require_decider(user, document) -> None:
    if not permissions.can_decide(user, document):
        raise Forbidden(
            _l(
                "Only coordinators of the body that owns this document and administrators may decide."
            )
        )


def clean(text) -> str:
    return str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def check_length(text: str, what: str) -> None:
    limit = current_app.config["AMENDMENT_MAX_TEXT"]
    if len(text) > limit:
        raise TooLarge(
            _l(
                "The %(what)s has %(value)s characters; the limit is %(limit)s.",
                what=what,
                value=len(text),
                limit=limit,
            )
        )


def speaking_for(user, on_behalf_of):
    """The body a contribution speaks for (by slug), checked against active membership now."""
    if not on_behalf_of:
        return None
    body = on_behalf_of if hasattr(on_behalf_of, "slug") else body_by_slug(str(on_behalf_of))
    if body is None:
        raise ValidationError(
            _l("No body %(on_behalf_of)s.", on_behalf_of=repr(on_behalf_of)), code="unknown_body"
        )
    if not is_member(user, body.id):
        raise Forbidden(
            _l("You can speak on behalf of %(name)s only as an active member.", name=body.name)
        )
    return body


def current_paragraphs(document) -> tuple[Version, list[str], list[str]]:
    version = document.current_version
    if version is None:
        raise ValidationError(_l("The document has no version yet."))
    return version, [p.key for p in version.paragraphs], [p.text for p in version.paragraphs]


def require_open(document) -> None:
    """Open for amendments: status open, and its closing date (if any) not passed.

    The worker closes a period at its date and tells followers; until it runs, a period past
    its date already takes nothing new.
    """
    closes_at = document.amendments_close_at
    if document.status != "open" or (closes_at is not None and closes_at <= utcnow()):
        raise Conflict(
            _l(
                "%(title)s is not open for amendments (status: %(status_label)s).",
                title=document.title,
                status_label=document.status_label,
            ),
            code="document_closed",
        )
