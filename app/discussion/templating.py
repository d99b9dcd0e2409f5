"""A template helper so that body and document pages can show their archive's summary."""

from app.discussion import queries


def archive_for(body=None, document=None) -> dict:
    """Counts and recent topics of the archive of `body` or `document`."""
    if body is None and document is None:
        return {"topic_count": 0, "message_count": 0, "topics": []}
    return queries.archive_summary(
        body_id=body.id if body is not None else None,
        document_id=document.id if document is not None and body is None else None,
    )
