"""Geometry of the balance charts (100% stacked bars), drawn as SVG by templates/balance/_balance.html."""

from app.accounts.models import STAKEHOLDER_GROUPS
from app.balance.queries import METRICS, SIDES, Balance

CHART_WIDTH = 640
LABEL_WIDTH = 120
BAR_WIDTH = CHART_WIDTH - LABEL_WIDTH - 10
ROW_HEIGHT = 34
BAR_HEIGHT = 22


def stacked_rows(balance: Balance, dimension: str) -> dict:
    """Rows (one per metric) of segments with x/width in SVG units and their shares."""
    table, labels = (
        (balance.groups, STAKEHOLDER_GROUPS) if dimension == "group" else (balance.sides, SIDES)
    )
    rows = []
    for index, (metric, metric_label) in enumerate(METRICS.items()):
        total = balance.totals[metric]
        x = float(LABEL_WIDTH)
        segments = []
        for key, label in labels.items():
            count = table.get(key, {}).get(metric, 0)
            if not total or not count:
                continue
            width = BAR_WIDTH * count / total
            segments.append(
                {
                    "key": key,
                    "label": label,
                    "count": count,
                    "share": round(100 * count / total),
                    "x": round(x, 2),
                    "width": round(width, 2),
                }
            )
            x += width
        rows.append(
            {
                "metric": metric,
                "label": metric_label,
                "total": total,
                "y": 10 + index * ROW_HEIGHT,
                "segments": segments,
            }
        )
    return {
        "rows": rows,
        "legend": labels,
        "width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
        "bar_width": BAR_WIDTH,
        "bar_height": BAR_HEIGHT,
        "half_x": LABEL_WIDTH + BAR_WIDTH / 2,
        "height": 20 + len(rows) * ROW_HEIGHT,
    }


def balance_context(balance: Balance) -> dict:
    """The template context of templates/balance/_balance.html."""
    return {
        "balance": balance,
        "group_chart": stacked_rows(balance, "group"),
        "side_chart": stacked_rows(balance, "side"),
    }
