"""Shares of the balance charts (100% stacked bars), drawn by templates/balance/_balance.html."""

from app.accounts.models import STAKEHOLDER_GROUPS
from app.balance.queries import METRICS, SIDES, Balance


def stacked_rows(balance: Balance, dimension: str) -> dict:
    """Rows (one per metric) of segments with their width in percent of the bar and shares.

    The template draws them as HTML boxes, so the labels keep the page's text size on a
    phone (text inside a scaled SVG shrinks with it)."""
    table, labels = (
        (balance.groups, STAKEHOLDER_GROUPS) if dimension == "group" else (balance.sides, SIDES)
    )
    rows = []
    for metric, metric_label in METRICS.items():
        total = balance.totals[metric]
        segments = []
        for key, label in labels.items():
            count = table.get(key, {}).get(metric, 0)
            if not total or not count:
                continue
            segments.append(
                {
                    "key": key,
                    "label": label,
                    "count": count,
                    "share": round(100 * count / total),
                    "width": round(100 * count / total, 2),
                }
            )
        rows.append({"metric": metric, "label": metric_label, "total": total, "segments": segments})
    return {"rows": rows, "legend": labels}


def balance_context(balance: Balance) -> dict:
    """The template context of templates/balance/_balance.html."""
    return {
        "balance": balance,
        "group_chart": stacked_rows(balance, "group"),
        "side_chart": stacked_rows(balance, "side"),
    }
