"""Geometry of the server-rendered tally chart (drawn as SVG by templates/amendments/_chart.html).

Two stacked bars show where the weight of each group comes from: in the equal-weight bar
every group that took a side holds the same width; in the headcount bar its width is its
number of support and oppose positions. Inside each group's segment the support share is
filled. Below, one bar per group shows its own support r_g against the 50% line.
"""

from fractions import Fraction

from app.accounts.models import STAKEHOLDER_GROUPS
from app.amendments.tally import Tally, percent

WIDTH = 560
LABEL = 190
BAR = WIDTH - LABEL - 50
ROW = 30


def _segments(tally: Tally, weights: dict[str, Fraction]) -> list[dict]:
    total = sum(weights.values(), Fraction(0))
    x = Fraction(0)
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
                "x": LABEL + float(x),
                "width": float(width),
                "fill": float(width * support),
                "share": percent(weight / total),
                "support": percent(tally.group_support[group]),
            }
        )
        x += width
    return segments


def chart(tally: Tally) -> dict:
    """Everything the template needs to draw the chart and its text alternative."""
    decisive = {g: Fraction(c.decisive) for g, c in tally.groups.items()}
    equal = {g: Fraction(1 if c.decisive else 0) for g, c in tally.groups.items()}
    groups = []
    for row, (group, count) in enumerate(tally.groups.items()):
        r = tally.group_support[group]
        groups.append(
            {
                "group": group,
                "label": STAKEHOLDER_GROUPS[group],
                "y": 130 + row * ROW,
                "width": float((r or 0) * BAR),
                "defined": r is not None,
                "support": percent(r),
                "count": count,
            }
        )
    return {
        "width": WIDTH,
        "height": 130 + len(groups) * ROW + 10,
        "label_x": LABEL,
        "bar": BAR,
        "half_x": LABEL + BAR / 2,
        "equal": _segments(tally, equal),
        "headcount": _segments(tally, decisive),
        "groups": groups,
        "equal_weight": percent(tally.equal_weight),
        "headcount_share": percent(tally.headcount),
        "equal_width": float((tally.equal_weight or 0) * BAR),
        "headcount_width": float((tally.headcount or 0) * BAR),
    }
