"""Seat allocation for selections: approval votes, under a balance rule. Pure functions only.

Method: candidates are ranked by approval votes (most first); a tie is broken by the order of
nomination (earlier accepted nomination first), and every tie that decided a seat is reported.
Going down the ranking, a candidate takes a seat unless taking it would leave the rule
impossible to meet with the candidates still below; the check is exact (a small dynamic
programme over stakeholder groups), so when the rule can be met the seats are always all
filled, and the result is the best-ranked set that meets it.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

METHOD = (
    "Approval voting: each voter approves any number of candidates. Candidates are ranked by "
    "approvals; ties are broken by nomination order (earlier first). Going down the ranking, each "
    "candidate takes a seat unless that would make the balance rule impossible to meet with the "
    "remaining candidates, in which case the candidate is passed over."
)


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    group: str
    side: str | None  # "north", "south" or None when unknown
    votes: int
    order: int  # nomination order, for ties


@dataclass(frozen=True)
class Rule:
    seats: int
    min_south: int = 0
    min_north: int = 0
    max_per_group: int | None = None


@dataclass
class Allocation:
    elected: list[Candidate]
    ranking: list[Candidate]
    passed_over: list[Candidate] = field(default_factory=list)
    ties: list[str] = field(default_factory=list)


class RuleCannotBeMet(Exception):
    """The balance rule cannot be met with these candidates; nothing is allocated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def rule_problem(rule: Rule, groups: int = 4) -> str | None:
    """What makes a rule impossible whatever the candidates, or None."""
    if rule.seats < 1:
        return _l("A selection needs at least one seat.")
    if rule.min_south < 0 or rule.min_north < 0:
        return _l("Minimum seats cannot be negative.")
    if rule.min_south + rule.min_north > rule.seats:
        return _l(
            "The rule reserves %(reserved)s seats for South and North together, more than "
            "the %(seats)s seat(s) to fill.",
            reserved=rule.min_south + rule.min_north,
            seats=rule.seats,
        )
    if rule.max_per_group is not None:
        if rule.max_per_group < 1:
            return _l("At most 0 seats per stakeholder group would leave every seat empty.")
        if rule.max_per_group * groups < rule.seats:
            return _l(
                "At most %(max)s seat(s) for each of the %(groups)s stakeholder groups fills "
                "at most %(filled)s seat(s), fewer than %(seats)s.",
                max=rule.max_per_group,
                groups=groups,
                filled=rule.max_per_group * groups,
                seats=rule.seats,
            )
    return None


def _feasible(chosen: list[Candidate], pool: list[Candidate], rule: Rule) -> bool:
    """Can `chosen` be completed to exactly rule.seats with candidates of `pool` under the rule?"""
    need = rule.seats - len(chosen)
    if need < 0:
        return False
    cap = rule.max_per_group
    used: dict[str, int] = {}
    for c in chosen:
        used[c.group] = used.get(c.group, 0) + 1
    if cap is not None and any(n > cap for n in used.values()):
        return False
    south0 = sum(c.side == "south" for c in chosen)
    north0 = sum(c.side == "north" for c in chosen)
    want_s, want_n = max(0, rule.min_south - south0), max(0, rule.min_north - north0)
    # Per group: how many Southern, Northern and unknown-side candidates remain.
    stock: dict[str, list[int]] = {}
    for c in pool:
        counts = stock.setdefault(c.group, [0, 0, 0])
        counts[0 if c.side == "south" else 1 if c.side == "north" else 2] += 1
    # States: (seats taken, Southern taken capped at want_s, Northern taken capped at want_n).
    states = {(0, 0, 0)}
    for group, (ns, nn, nx) in stock.items():
        room = need if cap is None else min(need, cap - used.get(group, 0))
        options = {
            (a, b, x)
            for a in range(min(ns, need) + 1)
            for b in range(min(nn, need) + 1)
            for x in range(min(nx, need) + 1)
            if a + b + x <= room
        }
        states = {
            (t + a + b + x, min(want_s, s + a), min(want_n, n + b))
            for t, s, n in states
            for a, b, x in options
            if t + a + b + x <= need
        }
    return (need, want_s, want_n) in states


def _explain_infeasible(candidates: list[Candidate], rule: Rule) -> str:
    south = sum(c.side == "south" for c in candidates)
    north = sum(c.side == "north" for c in candidates)
    groups = {c.group for c in candidates}
    if len(candidates) < rule.seats:
        return _l(
            "Only %(count)s accepted candidate(s) for %(seats)s seat(s): the seats cannot "
            "all be filled.",
            count=len(candidates),
            seats=rule.seats,
        )
    if south < rule.min_south:
        return _l(
            "The rule asks for at least %(min)s Southern seat(s) but only %(count)s "
            "accepted candidate(s) come from the South.",
            min=rule.min_south,
            count=south,
        )
    if north < rule.min_north:
        return _l(
            "The rule asks for at least %(min)s Northern seat(s) but only %(count)s "
            "accepted candidate(s) come from the North.",
            min=rule.min_north,
            count=north,
        )
    if rule.max_per_group is not None and rule.max_per_group * len(groups) < rule.seats:
        return _l(
            "At most %(max)s seat(s) per stakeholder group, with candidates from only "
            "%(groups)s group(s), fills at most %(filled)s of %(seats)s seat(s).",
            max=rule.max_per_group,
            groups=len(groups),
            filled=rule.max_per_group * len(groups),
            seats=rule.seats,
        )
    return _l(
        "No set of %(seats)s accepted candidates meets the balance rule together (the Southern or Northern minimum and the per-group maximum exclude each other).",
        seats=rule.seats,
    )


def rank(candidates: list[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (-c.votes, c.order, c.id))


def allocate_seats(candidates: list[Candidate], rule: Rule) -> Allocation:
    """Elect rule.seats candidates by votes under the rule, or raise RuleCannotBeMet."""
    problem = rule_problem(rule)
    if problem:
        raise RuleCannotBeMet(problem)
    ranking = rank(candidates)
    if not _feasible([], ranking, rule):
        raise RuleCannotBeMet(_explain_infeasible(ranking, rule))
    elected: list[Candidate] = []
    passed: list[Candidate] = []
    for index, candidate in enumerate(ranking):
        if len(elected) == rule.seats:
            break
        if _feasible(elected + [candidate], ranking[index + 1 :], rule):
            elected.append(candidate)
        else:
            passed.append(candidate)
    return Allocation(
        elected=elected, ranking=ranking, passed_over=passed, ties=_deciding_ties(ranking, elected)
    )


def _deciding_ties(ranking: list[Candidate], elected: list[Candidate]) -> list[str]:
    """Ties in votes between an elected and a non-elected candidate, in words."""
    chosen = {c.id for c in elected}
    notes = []
    by_votes: dict[int, list[Candidate]] = {}
    for c in ranking:
        by_votes.setdefault(c.votes, []).append(c)
    for votes, tied in by_votes.items():
        if (
            len(tied) > 1
            and any(c.id in chosen for c in tied)
            and any(c.id not in chosen for c in tied)
        ):
            names = ", ".join(c.name for c in tied)
            notes.append(
                f"{names} tied at {votes} vote(s); the tie was broken by nomination order "
                "(earlier first) within the balance rule."
            )
    return notes
