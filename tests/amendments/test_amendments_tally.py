"""The equal-weight rule of docs/design.md, as a pure function and as counted in SQL."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.amendments import queries, services
from app.amendments.tally import GROUPS, compute_tally

G, C, P, IO = GROUPS  # government, civil_society, private_sector, international_organization


@pytest.mark.parametrize(
    "counts, equal_weight, headcount, consensus",
    [
        # 1 government supporter against 1,000 opposing civil society members: equal weight 1/2.
        ({G: (1, 0, 0), C: (0, 1000, 0)}, Fraction(1, 2), Fraction(1, 1001), False),
        # 1,000 supporters in one group cannot outweigh three groups that oppose.
        (
            {C: (1000, 0, 0), G: (0, 1, 0), P: (0, 1, 0), IO: (0, 1, 0)},
            Fraction(1, 4),
            Fraction(1000, 1003),
            False,
        ),
        # No positions at all: everything undefined.
        ({}, None, None, False),
        # Groups with no positions are left out of the mean.
        ({G: (3, 1, 0)}, Fraction(3, 4), Fraction(3, 4), False),
        # Everyone abstains: no group takes a side, so nothing is defined.
        ({G: (0, 0, 5), C: (0, 0, 2), P: (0, 0, 1), IO: (0, 0, 9)}, None, None, False),
        # Abstentions do not dilute a group's support.
        ({G: (1, 0, 50)}, Fraction(1), Fraction(1), False),
        # A tie inside every group is not a consensus: r_g must be strictly above one half.
        (
            {G: (1, 1, 0), C: (2, 2, 0), P: (5, 5, 0), IO: (1, 1, 0)},
            Fraction(1, 2),
            Fraction(1, 2),
            False,
        ),
        # Consensus just reached: every group just above one half.
        (
            {G: (2, 1, 0), C: (501, 500, 0), P: (1, 0, 0), IO: (3, 2, 0)},
            (Fraction(2, 3) + Fraction(501, 1001) + 1 + Fraction(3, 5)) / 4,
            Fraction(507, 1010),
            True,
        ),
        # Consensus just missed: one group at exactly one half.
        (
            {G: (2, 1, 0), C: (500, 500, 0), P: (1, 0, 0), IO: (3, 2, 0)},
            (Fraction(2, 3) + Fraction(1, 2) + 1 + Fraction(3, 5)) / 4,
            Fraction(506, 1009),
            False,
        ),
        # Consensus missed when a group took no side at all, however strong the others.
        (
            {G: (9, 0, 0), C: (9, 0, 0), P: (9, 0, 0), IO: (0, 0, 3)},
            Fraction(1),
            Fraction(1),
            False,
        ),
    ],
)
def test_tally_rule(counts, equal_weight, headcount, consensus):
    tally = compute_tally(counts)
    assert tally.equal_weight == equal_weight
    assert tally.headcount == headcount
    assert tally.consensus is consensus
    for group in GROUPS:
        s, o, _ = counts.get(group, (0, 0, 0))
        assert tally.group_support[group] == (Fraction(s, s + o) if s + o else None)


counts_strategy = st.dictionaries(
    st.sampled_from(GROUPS),
    st.tuples(st.integers(0, 2000), st.integers(0, 2000), st.integers(0, 50)),
)


@given(counts_strategy)
def test_tally_invariants(counts):
    tally = compute_tally(counts)
    defined = [r for r in tally.group_support.values() if r is not None]
    if defined:
        assert min(defined) <= tally.equal_weight <= max(defined)
    else:
        assert tally.equal_weight is None
    if tally.consensus:
        assert tally.equal_weight > Fraction(1, 2)
        assert len(defined) == 4
    # Adding members to a group never changes the weight of the other groups.
    if counts.get(G) and sum(counts[G][:2]):
        s, o, a = counts[G]
        scaled = compute_tally({**counts, G: (s * 7, o * 7, a)})
        assert scaled.equal_weight == tally.equal_weight


def test_json_shape():
    data = compute_tally({G: (1, 2, 3)}).as_json()
    assert data["groups"][G] == {"support": 1, "oppose": 2, "abstain": 3}
    assert set(data["groups"]) == set(GROUPS)
    assert data["equal_weight"] == pytest.approx(1 / 3)
    assert data["headcount"] == pytest.approx(1 / 3)
    assert data["consensus"] is False


def test_sql_counts_feed_the_rule(world, propose, make_user):
    from app.extensions import db

    amendment = propose()
    other = propose(index=2, text="Every version is public.")
    civil = [make_user("civil_society") for _ in range(5)]
    for user in civil:
        services.set_position(amendment, user, "oppose")
    services.set_position(amendment, world.participant, "support")
    services.set_position(amendment, world.admin, "abstain")
    services.set_position(other, world.participant, "oppose")
    db.session.commit()

    tally = queries.tally(amendment)
    assert tally.groups[C].oppose == 5
    assert tally.groups[G].support == 1
    assert tally.groups[IO].abstain == 1
    assert tally.equal_weight == Fraction(1, 2)  # government 1, civil society 0
    assert tally.headcount == Fraction(1, 6)
    both = queries.tallies([amendment.id, other.id])
    assert both[amendment.id] == tally
    assert both[other.id].groups[G].oppose == 1 and both[other.id].positions == 1


def test_tally_is_one_query(world, propose, app):
    from sqlalchemy import event

    from app.extensions import db

    ids = [propose(index=i % 3 + 1, text=f"Text {i}.").id for i in range(6)]
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = queries.tallies(ids)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1 and "GROUP BY" in statements[0].upper()
    assert set(result) == set(ids)
