"""What the amendments domain adds to the document pages (through app.documents.hooks)."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.amendments import queries
from app.amendments.models import PARAGRAPH_STATUSES, Amendment, AmendmentComment
from app.documents import hooks, permissions
from app.extensions import db
from app.moderation.targets import Target, excerpt, target_loader

hooks.document_tab("amendments.index", _l("Amendments"), 40)
hooks.document_tab("amendments.compilation", _l("Compilation"), 45)
hooks.paragraph_panel("amendments/_paragraph_panel.html")
hooks.document_panel("amendments/_document_panel.html")


@hooks.context_provider
def amendment_context(document, version, lang) -> dict:
    """Pending amendments, group counts, statuses and blame for every paragraph (5-6 queries)."""
    if version is None:
        return {}
    statuses = queries.paragraph_statuses(document)
    wanted = request.args.get("status") if request else None
    wanted = wanted if wanted in PARAGRAPH_STATUSES else None
    hidden: set[str] = set()
    if wanted:
        hidden = {
            p.key
            for p in version.paragraphs
            if (statuses[p.key].status if p.key in statuses else "open") != wanted
        }
    is_current = version.id == document.current_version_id
    return {
        "amendments_pending": queries.pending_by_paragraph(document) if is_current else {},
        "amendment_group_counts": queries.group_counts(document) if is_current else {},
        "paragraph_statuses": statuses,
        "paragraph_status_filter": wanted,
        "paragraph_status_labels": PARAGRAPH_STATUSES,
        "hidden_paragraph_keys": hidden,
        "paragraph_blame": queries.blame(version),
        "amendments_on_current": is_current,
        "amendments_can_propose": is_current
        and document.status == "open"
        and permissions.can_participate(current_user),
        "amendments_can_decide": permissions.can_decide(current_user, document),
    }


# --- moderation: what a report on an amendment or its comment points at ----------------------


@target_loader("comment")
def comment_target(ident: int) -> Target | None:
    """A comment on an amendment, moderated by the owner of the amended document."""
    comment = db.session.get(AmendmentComment, ident)
    if comment is None:
        return None
    amendment = db.session.get(Amendment, comment.amendment_id)
    return Target(
        "comment",
        comment.id,
        amendment.document.owner_body_id,
        f"Comment on amendment #{amendment.id}",
        ("amendments.show", {"amendment_id": amendment.id, "_anchor": f"c-{comment.id}"}),
        excerpt(comment.text),
        comment.author_id,
    )


@target_loader("amendment")
def amendment_target(ident: int) -> Target | None:
    """An amendment's rationale, moderated by the owner of the amended document."""
    amendment = db.session.get(Amendment, ident)
    if amendment is None:
        return None
    return Target(
        "amendment",
        amendment.id,
        amendment.document.owner_body_id,
        f"Rationale of amendment #{amendment.id}",
        ("amendments.show", {"amendment_id": amendment.id}),
        excerpt(amendment.rationale),
        amendment.proposer_id,
    )
