"""Reads: amendment lists, tallies (aggregated in SQL), paragraph statuses and blame."""

from dataclasses import replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.amendments.models import PENDING, Amendment, AmendmentComment, ParagraphStatus, Position
from app.amendments.tally import GroupCount, Tally, compute_tally
from app.bodies.models import Body
from app.core.errors import NotFound
from app.documents.models import Version, VersionParagraph
from app.extensions import db


def get_amendment(amendment_id: int) -> Amendment:
    amendment = db.session.get(Amendment, amendment_id)
    if amendment is None:
        raise NotFound(_l("No amendment #%(amendment_id)s.", amendment_id=amendment_id))
    return amendment


def _count_columns():
    return (
        func.sum(case((Position.stance == "support", 1), else_=0)),
        func.sum(case((Position.stance == "oppose", 1), else_=0)),
        func.sum(case((Position.stance == "abstain", 1), else_=0)),
        func.sum(case((Position.revision < Amendment.revision, 1), else_=0)),
    )


def tallies(amendment_ids) -> dict[int, Tally]:
    """Tallies of many amendments in one GROUP BY query (amendment, stakeholder group, verified).

    A position counts for the group its author had when taking it; the verified-only tally
    counts positions whose author is verified in that same group.
    """
    ids = list(amendment_ids)
    counts: dict[int, dict[str, GroupCount]] = {i: {} for i in ids}
    verified: dict[int, dict[str, GroupCount]] = {i: {} for i in ids}
    earlier: dict[int, int] = dict.fromkeys(ids, 0)
    if ids:
        group = func.coalesce(Position.group, User.group)
        is_verified = case(((User.verified_at.is_not(None)) & (User.group == group), 1), else_=0)
        rows = db.session.execute(
            select(Position.amendment_id, group, is_verified, *_count_columns())
            .join(User, User.id == Position.user_id)
            .join(Amendment, Amendment.id == Position.amendment_id)
            .where(Position.amendment_id.in_(ids))
            .group_by(Position.amendment_id, group, is_verified)
        )
        for amendment_id, group_name, trusted, support, oppose, abstain, old in rows:
            count = GroupCount(int(support or 0), int(oppose or 0), int(abstain or 0))
            counts[amendment_id][group_name] = _add(counts[amendment_id].get(group_name), count)
            if trusted:
                verified[amendment_id][group_name] = count
            earlier[amendment_id] += int(old or 0)
    return {
        i: replace(compute_tally(counts[i], earlier[i]), verified=compute_tally(verified[i]))
        for i in ids
    }


def _add(a: GroupCount | None, b: GroupCount) -> GroupCount:
    if a is None:
        return b
    return GroupCount(a.support + b.support, a.oppose + b.oppose, a.abstain + b.abstain)


def tally(amendment: Amendment) -> Tally:
    """One amendment's tally: one GROUP BY query over its positions."""
    return tallies([amendment.id])[amendment.id]


def position_of(amendment: Amendment, user) -> Position | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Position).where(Position.amendment_id == amendment.id, Position.user_id == user.id)
    )


def positions(amendment: Amendment) -> list[Position]:
    return list(
        db.session.scalars(
            select(Position)
            .options(joinedload(Position.user))
            .where(Position.amendment_id == amendment.id)
            .order_by(Position.updated_at)
        )
    )


def comments(amendment: Amendment) -> list[AmendmentComment]:
    return list(
        db.session.scalars(
            select(AmendmentComment)
            .options(
                joinedload(AmendmentComment.author), joinedload(AmendmentComment.on_behalf_body)
            )
            .where(AmendmentComment.amendment_id == amendment.id)
            .order_by(AmendmentComment.id)
        )
    )


def list_amendments(
    document,
    *,
    status: str | None = "pending",
    group: str | None = None,
    paragraph: str | None = None,
    body: str | None = None,
    interleave: bool = True,
) -> list[Amendment]:
    """Filtered amendments of a document; by default the groups take turns (round robin).

    The n-th amendment of each group comes before the (n+1)-th of any group, so no group
    fills the first screen by numbers alone; inside a round the earlier proposal comes first.
    """
    query = (
        select(Amendment)
        .options(joinedload(Amendment.proposer), joinedload(Amendment.on_behalf_body))
        .where(Amendment.document_id == document.id)
    )
    if status == "pending":
        query = query.where(Amendment.status.in_(PENDING))
    elif status and status != "all":
        query = query.where(Amendment.status == status)
    if group:
        query = query.where(Amendment.proposer_group == group)
    if paragraph:
        query = query.where(Amendment.paragraph_key == paragraph)
    if body:
        query = query.join(Body, Body.id == Amendment.on_behalf_body_id).where(Body.slug == body)
    if interleave:
        turn = func.row_number().over(
            partition_by=Amendment.proposer_group, order_by=(Amendment.created_at, Amendment.id)
        )
        ranked = query.add_columns(turn.label("turn")).subquery()
        ordered = (
            select(Amendment)
            .join(ranked, ranked.c.id == Amendment.id)
            .options(joinedload(Amendment.proposer), joinedload(Amendment.on_behalf_body))
            .order_by(ranked.c.turn, ranked.c.created_at, ranked.c.id)
        )
        return list(db.session.scalars(ordered).unique())
    return list(db.session.scalars(query.order_by(Amendment.created_at, Amendment.id)).unique())


def competing(document, key: str) -> list[Amendment]:
    """Pending amendments that change or delete the same paragraph."""
    return list(
        db.session.scalars(
            select(Amendment)
            .options(joinedload(Amendment.proposer), joinedload(Amendment.on_behalf_body))
            .where(
                Amendment.document_id == document.id,
                Amendment.paragraph_key == key,
                Amendment.kind.in_(("modify", "delete")),
                Amendment.status.in_(PENDING),
            )
            .order_by(Amendment.created_at, Amendment.id)
        ).unique()
    )


def pending_by_paragraph(document) -> dict:
    """Pending amendments keyed by the paragraph they target ("^" = inserts at the start)."""
    by_key: dict[str, list[Amendment]] = {}
    for amendment in list_amendments(document, status="pending", interleave=False):
        if amendment.kind == "insert":
            slot = f"after:{amendment.paragraph_key}" if amendment.paragraph_key else "^"
        else:
            slot = amendment.paragraph_key
        by_key.setdefault(slot, []).append(amendment)
    return by_key


def group_counts(document) -> dict[str, dict[str, int]]:
    """{paragraph key: {group: pending amendments}} in one GROUP BY query."""
    rows = db.session.execute(
        select(Amendment.paragraph_key, Amendment.proposer_group, func.count(Amendment.id))
        .where(
            Amendment.document_id == document.id,
            Amendment.status.in_(PENDING),
            Amendment.kind.in_(("modify", "delete")),
        )
        .group_by(Amendment.paragraph_key, Amendment.proposer_group)
    )
    result: dict[str, dict[str, int]] = {}
    for key, group, count in rows:
        result.setdefault(key, {})[group] = count
    return result


def document_group_counts(document) -> dict[str, int]:
    rows = db.session.execute(
        select(Amendment.proposer_group, func.count(Amendment.id))
        .where(Amendment.document_id == document.id)
        .group_by(Amendment.proposer_group)
    )
    return dict(rows.all())


def paragraph_statuses(document) -> dict[str, ParagraphStatus]:
    """The latest status row of every paragraph that has one (one query)."""
    latest = (
        select(func.max(ParagraphStatus.id))
        .where(ParagraphStatus.document_id == document.id)
        .group_by(ParagraphStatus.paragraph_key)
    )
    rows = db.session.scalars(select(ParagraphStatus).where(ParagraphStatus.id.in_(latest)))
    return {row.paragraph_key: row for row in rows}


def paragraph_status_history(document, key: str) -> list[ParagraphStatus]:
    return list(
        db.session.scalars(
            select(ParagraphStatus)
            .options(joinedload(ParagraphStatus.set_by))
            .where(ParagraphStatus.document_id == document.id, ParagraphStatus.paragraph_key == key)
            .order_by(ParagraphStatus.id.desc())
        )
    )


def blame(version: Version) -> dict[str, Amendment]:
    """{paragraph key: the merged amendment that produced the version that last changed it}."""
    rows = db.session.execute(
        select(VersionParagraph.key, Amendment)
        .join(Amendment, Amendment.merged_version_id == VersionParagraph.changed_in_version_id)
        .where(VersionParagraph.version_id == version.id)
    )
    return {key: amendment for key, amendment in rows}


def filter_bodies(document) -> list[Body]:
    """Bodies on whose behalf amendments to the document were proposed."""
    return list(
        db.session.scalars(
            select(Body)
            .where(
                Body.id.in_(
                    select(Amendment.on_behalf_body_id).where(Amendment.document_id == document.id)
                )
            )
            .order_by(Body.name)
        )
    )
