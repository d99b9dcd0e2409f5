"""Balance statistics: activity by stakeholder group and by North/South, aggregated in SQL.

Activity lives in other domains' tables (amendments, positions, comments, discussion
messages): this domain sits above all of them and only reads.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, or_, select, union, union_all

from app.accounts.models import STAKEHOLDER_GROUPS, User
from app.accounts.regions import NORTH, SOUTH
from app.amendments.models import Amendment, AmendmentComment, Position
from app.bodies.models import ACTIVE, Body, Membership
from app.discussion.models import Message, Topic
from app.documents.models import Document
from app.extensions import db

METRICS = {
    "participants": _l("Participants"),
    "amendments": _l("Amendments"),
    "positions": _l("Positions"),
    "comments": _l("Comments"),
}
SIDES = {NORTH: _l("North"), SOUTH: _l("South")}


@dataclass
class Balance:
    groups: dict[str, dict[str, int]]
    sides: dict[str, dict[str, int]]
    totals: dict[str, int]
    warnings: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "groups": self.groups,
            "sides": self.sides,
            "totals": self.totals,
            "warnings": self.warnings,
        }

    @property
    def is_empty(self) -> bool:
        return not any(self.totals.values())


def _sources(document_id=None, body: Body | None = None) -> dict[str, list]:
    """For each activity metric, selects of one `user_id` row per act in the scope."""
    sources: dict[str, list] = {"amendments": [], "positions": [], "comments": []}
    owned = None
    if body is not None:
        owned = select(Document.id).where(Document.owner_body_id == body.id)
    if document_id is not None:
        in_scope = Amendment.document_id == document_id
    elif body is not None:
        in_scope = or_(Amendment.document_id.in_(owned), Amendment.on_behalf_body_id == body.id)
    else:
        in_scope = literal(True)
    sources["amendments"].append(select(Amendment.proposer_id.label("user_id")).where(in_scope))
    sources["positions"].append(
        select(Position.user_id.label("user_id"))
        .join(Amendment, Amendment.id == Position.amendment_id)
        .where(in_scope)
    )
    comment_scope = in_scope
    if body is not None:
        comment_scope = or_(in_scope, AmendmentComment.on_behalf_body_id == body.id)
    sources["comments"].append(
        select(AmendmentComment.author_id.label("user_id"))
        .join(Amendment, Amendment.id == AmendmentComment.amendment_id)
        .where(comment_scope)
    )
    if document_id is not None:
        topic_scope = Topic.document_id == document_id
    elif body is not None:
        topic_scope = or_(Topic.body_id == body.id, Topic.document_id.in_(owned))
    else:
        topic_scope = literal(True)
    sources["comments"].append(
        select(Message.author_id.label("user_id"))
        .join(Topic, Topic.id == Message.topic_id)
        .where(topic_scope)
    )
    if body is not None:
        members = select(Membership.user_id).where(
            Membership.body_id == body.id, Membership.status == ACTIVE
        )
        sources = {
            metric: [s.where(s.selected_columns.user_id.in_(members)) for s in selects]
            for metric, selects in sources.items()
        }
    return sources


def _counts(rows_select) -> list[tuple[str, str | None, int]]:
    """(group, side, count) for a subquery of user_id rows, grouped in SQL."""
    sub = rows_select.subquery()
    return db.session.execute(
        select(User.group, User.side, func.count())
        .select_from(sub)
        .join(User, User.id == sub.c.user_id)
        .group_by(User.group, User.side)
    ).all()


def _distinct_people(rows_select) -> list[tuple[str, str | None, int]]:
    sub = rows_select.subquery()
    return db.session.execute(
        select(User.group, User.side, func.count(func.distinct(User.id)))
        .select_from(sub)
        .join(User, User.id == sub.c.user_id)
        .group_by(User.group, User.side)
    ).all()


def _compute(participant_rows, sources: dict[str, list]) -> Balance:
    groups = {g: dict.fromkeys(METRICS, 0) for g in STAKEHOLDER_GROUPS}
    sides = {s: dict.fromkeys(METRICS, 0) for s in SIDES}
    totals = dict.fromkeys(METRICS, 0)

    def fold(metric, rows):
        for group, side, count in rows:
            groups.setdefault(group, dict.fromkeys(METRICS, 0))[metric] += count
            if side in sides:
                sides[side][metric] += count
            totals[metric] += count

    fold("participants", participant_rows)
    for metric, selects in sources.items():
        if selects:
            fold(metric, _counts(union_all(*selects) if len(selects) > 1 else selects[0]))
    return Balance(
        groups=groups, sides=sides, totals=totals, warnings=_warnings(groups, sides, totals)
    )


def _warnings(groups, sides, totals) -> list[dict]:
    """One warning for each group or side providing more than half of a kind of activity."""
    warnings = []
    for dimension, table, labels in (
        ("group", groups, STAKEHOLDER_GROUPS),
        ("side", sides, {NORTH: "The North", SOUTH: "The South"}),
    ):
        for key, values in table.items():
            for metric, count in values.items():
                total = totals[metric]
                if total and count * 2 > total:
                    share = round(100 * count / total)
                    warnings.append(
                        {
                            "dimension": dimension,
                            "key": key,
                            "metric": metric,
                            "count": count,
                            "total": total,
                            "share": share,
                            "message": _l(
                                "%(label)s provides %(count)s of %(total)s %(metric)s "
                                "(%(share)s%%), more than half.",
                                label=labels.get(key, key),
                                count=count,
                                total=total,
                                metric=METRICS[metric].lower(),
                                share=share,
                            ),
                        }
                    )
    return warnings


def document_balance(document) -> Balance:
    """Participants are the distinct people active on the document."""
    sources = _sources(document_id=document.id)
    everyone = [s for selects in sources.values() for s in selects]
    participants = _distinct_people(union(*everyone)) if everyone else []
    return _compute(participants, sources)


def body_balance(body: Body) -> Balance:
    """Participants are the members; activity is theirs, in the body's discussions and documents."""
    members = select(Membership.user_id.label("user_id")).where(
        Membership.body_id == body.id, Membership.status == ACTIVE
    )
    return _compute(_distinct_people(members), _sources(body=body))


def site_balance() -> Balance:
    """Participants are every registered person; activity is all activity."""
    return _compute(_distinct_people(select(User.id.label("user_id"))), _sources())
