"""The seat allocation: a pure function, tested without a database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.bodies.allocation import Candidate, Rule, RuleCannotBeMet, _feasible, allocate_seats

GROUPS = ["government", "civil_society", "private_sector", "international_organization"]


def cand(i, votes, group="civil_society", side="south"):
    return Candidate(id=i, name=f"C{i}", group=group, side=side, votes=votes, order=i)


def elected_ids(candidates, rule):
    return [c.id for c in allocate_seats(candidates, rule).elected]


def test_without_rule_the_most_approved_win():
    candidates = [cand(1, 3), cand(2, 9), cand(3, 5), cand(4, 1)]
    assert elected_ids(candidates, Rule(seats=2)) == [2, 3]


def test_min_south_binds():
    candidates = [
        cand(1, 9, side="north"),
        cand(2, 8, side="north"),
        cand(3, 2, side="south"),
        cand(4, 1, side="south"),
    ]
    allocation = allocate_seats(candidates, Rule(seats=2, min_south=1))
    assert [c.id for c in allocation.elected] == [1, 3]
    assert [c.id for c in allocation.passed_over] == [2]


def test_max_per_group_binds():
    candidates = [
        cand(1, 9, "government"),
        cand(2, 8, "government"),
        cand(3, 7, "government"),
        cand(4, 1, "private_sector"),
    ]
    assert elected_ids(candidates, Rule(seats=2, max_per_group=1)) == [1, 4]


def test_both_rules_bind_together():
    candidates = [
        cand(1, 10, "government", "north"),
        cand(2, 9, "government", "south"),
        cand(3, 8, "private_sector", "north"),
        cand(4, 7, "civil_society", "north"),
        cand(5, 1, "civil_society", "south"),
    ]
    # Three seats, two for the South, at most one per group: 1 (gov, N) would leave only
    # one Southern candidate outside government, so it is passed over.
    assert elected_ids(candidates, Rule(seats=3, min_south=2, max_per_group=1)) == [2, 3, 5]


def test_ties_are_broken_by_nomination_order_and_reported():
    candidates = [cand(1, 5), cand(2, 5), cand(3, 5)]
    allocation = allocate_seats(candidates, Rule(seats=2))
    assert [c.id for c in allocation.elected] == [1, 2]
    assert allocation.ties and "C1, C2, C3 tied at 5" in allocation.ties[0]


@pytest.mark.parametrize(
    ("candidates", "rule", "message"),
    [
        (
            [cand(1, 3, side="south"), cand(2, 2, side="north"), cand(3, 1, side="north")],
            Rule(seats=2, min_south=2),
            "at least 2 Southern seat(s) but only 1",
        ),
        ([cand(1, 3), cand(2, 2)], Rule(seats=3), "Only 2 accepted candidate(s) for 3 seat(s)"),
        (
            [cand(1, 3, "government"), cand(2, 2, "government"), cand(3, 1, "private_sector")],
            Rule(seats=3, max_per_group=1),
            "candidates from only 2 group(s)",
        ),
        (
            [cand(i, i) for i in range(6)],
            Rule(seats=5, max_per_group=1),
            "each of the 4 stakeholder",
        ),
        (
            [cand(i, i) for i in range(6)],
            Rule(seats=2, min_south=2, min_north=1),
            "more than the 2 seat",
        ),
        # Both Southern candidates are from government, and only one per group may sit.
        (
            [
                cand(1, 3, "government", "south"),
                cand(2, 2, "government", "south"),
                cand(3, 1, "private_sector", "north"),
                cand(4, 1, "civil_society", "north"),
            ],
            Rule(seats=2, min_south=2, max_per_group=1),
            "exclude each other",
        ),
    ],
)
def test_rules_that_cannot_be_met(candidates, rule, message):
    with pytest.raises(RuleCannotBeMet) as error:
        allocate_seats(candidates, rule)
    assert message in error.value.message


candidate_lists = st.lists(
    st.tuples(
        st.sampled_from(GROUPS),
        st.sampled_from(["north", "south", None]),
        st.integers(min_value=0, max_value=6),
    ),
    max_size=9,
).map(
    lambda rows: [
        Candidate(id=i, name=f"C{i}", group=g, side=s, votes=v, order=i)
        for i, (g, s, v) in enumerate(rows)
    ]
)
rules = st.builds(
    Rule,
    seats=st.integers(min_value=1, max_value=5),
    min_south=st.integers(0, 3),
    min_north=st.integers(0, 2),
    max_per_group=st.one_of(st.none(), st.integers(1, 3)),
)


def brute_force_feasible(candidates, rule):
    from itertools import combinations

    for combo in combinations(candidates, rule.seats):
        south = sum(c.side == "south" for c in combo)
        north = sum(c.side == "north" for c in combo)
        per_group = [sum(c.group == g for c in combo) for g in GROUPS]
        if (
            south >= rule.min_south
            and north >= rule.min_north
            and (rule.max_per_group is None or max(per_group) <= rule.max_per_group)
        ):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(candidate_lists, rules)
def test_result_respects_the_rule_and_fills_every_seat_when_feasible(candidates, rule):
    feasible = brute_force_feasible(candidates, rule)
    assert _feasible([], candidates, rule) == feasible
    if not feasible:
        with pytest.raises(RuleCannotBeMet):
            allocate_seats(candidates, rule)
        return
    elected = allocate_seats(candidates, rule).elected
    assert len(elected) == rule.seats
    assert len({c.id for c in elected}) == rule.seats
    assert sum(c.side == "south" for c in elected) >= rule.min_south
    assert sum(c.side == "north" for c in elected) >= rule.min_north
    if rule.max_per_group is not None:
        assert all(sum(c.group == g for c in elected) <= rule.max_per_group for g in GROUPS)


@settings(max_examples=150, deadline=None)
@given(candidate_lists, st.integers(min_value=1, max_value=5))
def test_without_rule_nobody_elected_has_fewer_votes_than_someone_left_out(candidates, seats):
    if len(candidates) < seats:
        return
    elected = allocate_seats(candidates, Rule(seats=seats)).elected
    left_out = [c for c in candidates if c not in elected]
    assert all(e.votes >= o.votes for e in elected for o in left_out)
