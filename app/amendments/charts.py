"""Widths of the server-rendered tally chart (drawn by the `chart` macro of
templates/amendments/_macros.html as HTML boxes, whose labels keep their size on a phone).

Two stacked bars show where the weight of each group comes from: in the equal-weight bar
every group that took a side holds the same width; in the headcount bar its width is its
number of support and oppose positions. Inside each group's segment the support share is
filled. Below, one bar per group shows its own support r_g against the 50% line.
"""

from fractions import Fraction

from app.accounts.models import STAKEHOLDER_GROUPS
from app.amendments.tally import Tally, percent

# Widths are percentages: of the bar for a segment, of its segment for the filled part.
BAR = 100


def _segments(tally: Tally, weights: dict[str, Fraction]) -> list[dict]:
    total = sum(weights.values(), Fraction(0))
    segments = []
    for group, weight in weights.items():
        if not weight:
            continue
        width = weight / total * BAR
        support = tally.group_support[group] or Fraction(0)
        segments.append(
            {
                "group": group,
                "label": STAKEHOLDER_GROUPS[group],
                "width": round(float(width), 2),
                "fill": round(float(support * 100), 2),
                "share": percent(weight / total),
                "support": percent(tally.group_support[group]),
            }
        )
    return segments


def chart(tally: Tally) -> dict:
    """Everything the template needs to draw the chart and its text alternative."""
    decisive = {g: Fraction(c.decisive) for g, c in tally.groups.items()}
    equal = {g: Fraction(1 if c.decisive else 0) for g, c in tally.groups.items()}
    groups = []
    for group, count in tally.groups.items():
        r = tally.group_support[group]
        groups.append(
            {
                "group": group,
                "label": STAKEHOLDER_GROUPS[group],
                "width": round(float((r or 0) * BAR), 2),
                "defined": r is not None,
                "support": percent(r),
                "count": count,
            }
        )
    return {
        "equal": _segments(tally, equal),
        "headcount": _segments(tally, decisive),
        "groups": groups,
        "equal_weight": percent(tally.equal_weight),
        "headcount_share": percent(tally.headcount),
    }
