"""Selection procedures: opening, nominating, accepting, voting and counting."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.services import normalize_email, owner_of_email
from app.bodies.allocation import (
    METHOD,
    Candidate,
    Rule,
    RuleCannotBeMet,
    allocate_seats,
    rule_problem,
)
from app.bodies.models import (
    CANCELLED,
    CLOSED,
    COORDINATOR,
    MEMBER,
    SELECTION_ROLES,
    VOTING,
    Ballot,
    BallotChoice,
    Body,
    Nomination,
    Selection,
)
from app.bodies.permissions import voter_refusal
from app.bodies.queries import membership_of, valid_id
from app.bodies.services import add_member
from app.core import signals
from app.core.errors import Conflict, Forbidden, NotFound, ValidationError
from app.core.locking import insert_unique, lock_rows
from app.core.timeutil import utcnow
from app.extensions import db


def get_selection(selection_id) -> Selection:
    number = valid_id(selection_id)
    selection = db.session.get(Selection, number) if number is not None else None
    if selection is None:
        raise NotFound(_l("No selection number %(selection_id)s.", selection_id=selection_id))
    return selection


def _int_field(value, name: str, *, minimum: int, optional: bool = False) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise ValidationError(_l("%(name)s is required.", name=name))
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_l("%(name)s must be a whole number.", name=name)) from None
    if number < minimum or number > 1000:
        raise ValidationError(
            _l("%(name)s must be between %(minimum)s and 1000.", name=name, minimum=minimum)
        )
    return number


def open_selection(
    body: Body,
    user,
    *,
    title: str,
    seats,
    role: str = MEMBER,
    description: str = "",
    min_south=0,
    min_north=0,
    max_per_group=None,
    nomination_ends_at: datetime,
    voting_starts_at: datetime | None = None,
    voting_ends_at: datetime,
) -> Selection:
    """Open a selection for `seats` seats of `body` with a balance rule and two periods."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_l("A selection needs a title."))
    if len(title) > 200:
        raise ValidationError(_l("A title has at most 200 characters."))
    if role not in SELECTION_ROLES:
        raise ValidationError(_l("The seats are either coordinator or member seats."))
    seats = _int_field(seats, _l("The number of seats"), minimum=1)
    min_south = _int_field(min_south, _l("The Southern minimum"), minimum=0, optional=True) or 0
    min_north = _int_field(min_north, _l("The Northern minimum"), minimum=0, optional=True) or 0
    max_per_group = _int_field(max_per_group, _l("The per-group maximum"), minimum=1, optional=True)
    rule = Rule(seats=seats, min_south=min_south, min_north=min_north, max_per_group=max_per_group)
    problem = rule_problem(rule)
    if problem:
        raise ValidationError(
            _l("This balance rule can never be met: %(problem)s", problem=problem)
        )
    voting_starts_at = voting_starts_at or nomination_ends_at
    if not (nomination_ends_at and voting_ends_at):
        raise ValidationError(_l("Give the end of the nomination period and of the voting period."))
    if nomination_ends_at <= utcnow():
        raise ValidationError(_l("The nomination period must end in the future."))
    if voting_starts_at < nomination_ends_at:
        raise ValidationError(_l("Voting cannot start before nominations close."))
    if voting_ends_at <= voting_starts_at:
        raise ValidationError(_l("The voting period must end after it starts."))
    selection = Selection(
        body_id=body.id,
        title=title,
        description=(description or "").strip(),
        seats=seats,
        role=role,
        min_south=min_south,
        min_north=min_north,
        max_per_group=max_per_group,
        nomination_ends_at=nomination_ends_at,
        voting_starts_at=voting_starts_at,
        voting_ends_at=voting_ends_at,
        opened_by_id=user.id if user else None,
    )
    db.session.add(selection)
    db.session.flush()
    signals.selection_changed.send(selection, actor=user, change="opened", result=None)
    return selection


def nominate(selection: Selection, user, email: str | None = None) -> Nomination | None:
    """Nominate someone by e-mail (or oneself when no address is given) during nominations.

    By e-mail, an address nobody registered and a person already nominated give None, as a
    new nomination's answer must not tell whether an address belongs to someone.
    """
    _not_over(selection)
    if selection.phase() != "nomination":
        raise ValidationError(_l("Nominations for this selection are closed."))
    if (email or "").strip():
        return _nominate_by_email(selection, user, email)
    return _nominate(selection, user, user)


def _nominate_by_email(selection: Selection, user, email: str) -> Nomination | None:
    normalize_email(email)  # a malformed address is refused: that reveals nobody
    nominee = owner_of_email(email)
    if nominee is None:
        return None
    try:
        return _nominate(selection, user, nominee)
    except Conflict:
        return None


def _nominate(selection: Selection, user, nominee) -> Nomination:
    exists = db.session.scalar(
        select(Nomination.id).where(
            Nomination.selection_id == selection.id,
            Nomination.nominee_id == nominee.id,
        )
    )
    if exists is not None:
        raise Conflict(_l("%(name)s is already nominated.", name=nominee.name))
    self_nomination = nominee.id == user.id
    nomination = Nomination(
        selection_id=selection.id,
        nominee_id=nominee.id,
        nominated_by_id=user.id,
        accepted=self_nomination,
        accepted_at=utcnow() if self_nomination else None,
    )
    insert_unique(Conflict(_l("%(name)s is already nominated.", name=nominee.name)), nomination)
    return nomination


def _not_over(selection: Selection) -> None:
    if selection.status == CANCELLED:
        raise ValidationError(_l("This selection was cancelled."))
    if selection.status == CLOSED:
        raise ValidationError(_l("This selection is closed."))


def _own_nomination(selection: Selection, user, nomination_id) -> Nomination:
    number = valid_id(nomination_id)
    nomination = db.session.get(Nomination, number) if number is not None else None
    if nomination is None or nomination.selection_id != selection.id:
        raise NotFound(_l("No such nomination in this selection."))
    lock_rows(selection, nomination)
    if nomination.nominee_id != user.id:
        raise Forbidden(_l("Only the nominee can answer a nomination."))
    _not_over(selection)
    if selection.phase() != "nomination":
        raise ValidationError(_l("Nominations for this selection are closed."))
    return nomination


def accept_nomination(selection: Selection, user, nomination_id: int) -> Nomination:
    nomination = _own_nomination(selection, user, nomination_id)
    nomination.accepted = True
    nomination.accepted_at = nomination.accepted_at or utcnow()
    db.session.flush()
    return nomination


def withdraw_nomination(selection: Selection, user, nomination_id: int) -> None:
    """Decline a nomination, or withdraw one's candidacy, while nominations are open."""
    db.session.delete(_own_nomination(selection, user, nomination_id))
    db.session.flush()


def cast_ballot(selection: Selection, user, nomination_ids) -> Ballot:
    """Record one approval ballot; a second ballot by the same voter is refused by the database.

    Only members of the electorate whose membership existed before voting opened may vote.
    """
    _not_over(selection)
    phase = selection.phase()
    if phase != "voting":
        if phase in ("nomination", "waiting"):
            raise ValidationError(
                _l(
                    "Voting opens on %(voting_starts_at)s UTC; no vote before.",
                    voting_starts_at=format(selection.voting_starts_at, "%Y-%m-%d %H:%M"),
                )
            )
        raise ValidationError(_l("The voting period of this selection is over."))
    refusal = voter_refusal(user, selection)
    if refusal:
        raise Forbidden(refusal)
    if isinstance(nomination_ids, str | int):
        nomination_ids = [nomination_ids]
    chosen = {valid_id(n) for n in nomination_ids or ()}
    if None in chosen:
        raise ValidationError(_l("Choose candidates from the ballot."))
    if not chosen:
        raise ValidationError(_l("Approve at least one candidate."))
    valid = set(
        db.session.scalars(
            select(Nomination.id).where(
                Nomination.selection_id == selection.id,
                Nomination.accepted.is_(True),
                Nomination.id.in_(chosen),
            )
        )
    )
    if valid != chosen:
        raise ValidationError(_l("Only accepted candidates of this selection can be approved."))
    ballot = Ballot(
        selection_id=selection.id,
        voter_id=user.id,
        choices=[BallotChoice(nomination_id=n) for n in sorted(chosen)],
    )
    insert_unique(
        Conflict(_l("You have already voted in this selection; a ballot cannot be changed.")),
        ballot,
    )
    selection.status = VOTING
    return ballot


def has_voted(selection: Selection, user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(Ballot.id).where(
                Ballot.selection_id == selection.id,
                Ballot.voter_id == user.id,
            )
        )
        is not None
    )


def vote_counts(selection: Selection) -> list[tuple[Nomination, int]]:
    """Accepted nominations with their approvals, counted in SQL."""
    counts = (
        select(BallotChoice.nomination_id, func.count(BallotChoice.id).label("n"))
        .group_by(BallotChoice.nomination_id)
        .subquery()
    )
    return [
        (n, v)
        for n, v in db.session.execute(
            select(Nomination, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.nomination_id == Nomination.id)
            .where(Nomination.selection_id == selection.id, Nomination.accepted.is_(True))
            .order_by(Nomination.accepted_at, Nomination.id)
        ).all()
    ]


def ballot_count(selection: Selection) -> int:
    return (
        db.session.scalar(select(func.count(Ballot.id)).where(Ballot.selection_id == selection.id))
        or 0
    )


def close_selection(selection: Selection, user) -> dict:
    """Count, allocate the seats under the rule, seat the elected and publish the result.

    A rule that cannot be met raises a ValidationError and changes nothing.
    """
    lock_rows(selection)  # one count, however many coordinators press "close" at once
    if selection.status == CLOSED:
        raise Conflict(_l("This selection is already closed."))
    if selection.status == CANCELLED:
        raise Conflict(_l("This selection was cancelled; it cannot be counted."))
    now = utcnow()
    if now < selection.voting_ends_at:
        raise ValidationError(
            _l(
                "A selection can be closed only once its voting period has ended (%(voting_ends_at)s UTC); every member keeps the whole period to vote.",
                voting_ends_at=format(selection.voting_ends_at, "%Y-%m-%d %H:%M"),
            )
        )
    counted = vote_counts(selection)
    candidates = [
        Candidate(
            id=n.id,
            name=n.nominee.name,
            group=n.nominee.group,
            side=n.nominee.side,
            votes=votes,
            order=index,
        )
        for index, (n, votes) in enumerate(counted)
    ]
    rule = Rule(
        seats=selection.seats,
        min_south=selection.min_south,
        min_north=selection.min_north,
        max_per_group=selection.max_per_group,
    )
    try:
        allocation = allocate_seats(candidates, rule)
    except RuleCannotBeMet as error:
        raise ValidationError(
            _l(
                "The balance rule cannot be met: %(message)s No seat has been assigned.",
                message=error.message,
            )
        ) from None
    nominations = {n.id: n for n, _ in counted}
    elected_ids = [c.id for c in allocation.elected]
    for nomination_id in elected_ids:
        nominee = nominations[nomination_id].nominee
        current = membership_of(nominee, selection.body_id)
        wanted_coordinator = selection.role == COORDINATOR
        if (
            current is None
            or current.status != "active"
            or (wanted_coordinator and current.role != COORDINATOR)
        ):
            add_member(selection.body, nominee, coordinator=wanted_coordinator, actor=user)
    selection.result = {
        "method": METHOD,
        "rule": {
            "seats": rule.seats,
            "min_south": rule.min_south,
            "min_north": rule.min_north,
            "max_per_group": rule.max_per_group,
            "text": selection.rule_text(),
        },
        "ballots": ballot_count(selection),
        "counts": [
            {
                "nomination_id": c.id,
                "name": c.name,
                "group": c.group,
                "side": c.side,
                "votes": c.votes,
                "elected": c.id in elected_ids,
                "passed_over": c in allocation.passed_over,
            }
            for c in allocation.ranking
        ],
        "elected": elected_ids,
        "ties": allocation.ties,
    }
    selection.status = CLOSED
    selection.closed_at = now
    selection.voting_ends_at = min(selection.voting_ends_at, now)
    db.session.flush()
    signals.selection_changed.send(selection, actor=user, change="closed", result=selection.result)
    return selection.result


def cancel_selection(selection: Selection, user, reason: str) -> Selection:
    """Cancel a selection that is not closed: no seat is assigned and the reason is published.

    This is the way out for a selection that cannot be counted (no accepted candidates, a rule
    that the candidates cannot meet) or that should not go on.
    """
    lock_rows(selection)
    if selection.status == CLOSED:
        raise Conflict(_l("This selection is closed; its result stands."))
    if selection.status == CANCELLED:
        raise Conflict(_l("This selection was already cancelled."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_l("Give the reason for cancelling; it is shown on the selection."))
    if len(reason) > 1000:
        raise ValidationError(_l("A reason has at most 1000 characters."))
    now = utcnow()
    selection.status = CANCELLED
    selection.closed_at = now
    selection.result = {
        "cancelled": True,
        "reason": reason,
        "by": user.name if user is not None else None,
        "at": now.isoformat(),
    }
    db.session.flush()
    signals.selection_changed.send(selection, actor=user, change="cancelled", result=None)
    return selection


# The filters of the list of all selections: still running (nominations, voting, counting)
# or over (result published or cancelled).
SELECTION_STATES = {"open": _l("Open"), "closed": _l("Closed")}


def list_selections(*, body: Body | None = None, state: str | None = None) -> list[Selection]:
    """Selections, newest first: of one body or of every body, all or only `state` ones."""
    query = select(Selection).options(selectinload(Selection.body))
    if body is not None:
        query = query.where(Selection.body_id == body.id)
    if state:
        if state not in SELECTION_STATES:
            raise ValidationError(
                _l("status must be one of: %(states)s.", states=", ".join(SELECTION_STATES))
            )
        over = Selection.status.in_((CLOSED, CANCELLED))
        query = query.where(over if state == "closed" else ~over)
    return list(
        db.session.scalars(query.order_by(Selection.created_at.desc(), Selection.id.desc()))
    )


def selections_of(body: Body) -> list[Selection]:
    return list_selections(body=body)
