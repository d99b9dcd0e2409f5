"""The equal-weight rule of docs/design.md as a pure function of the per-group counts.

For each stakeholder group g with S_g support, O_g oppose and A_g abstain positions:
group support r_g = S_g / (S_g + O_g), undefined when S_g + O_g = 0; equal-weight support is
the mean of the defined r_g; headcount support is sum S / sum (S + O); consensus holds when
every one of the four groups has r_g > 1/2. Exact fractions keep "just above one half" exact.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from app.accounts.models import STAKEHOLDER_GROUPS

GROUPS = tuple(STAKEHOLDER_GROUPS)


@dataclass(frozen=True)
class GroupCount:
    support: int = 0
    oppose: int = 0
    abstain: int = 0

    @property
    def decisive(self) -> int:
        return self.support + self.oppose

    @property
    def total(self) -> int:
        return self.support + self.oppose + self.abstain


@dataclass(frozen=True)
class Tally:
    groups: dict[str, GroupCount]
    group_support: dict[str, Fraction | None]
    equal_weight: Fraction | None
    headcount: Fraction | None
    consensus: bool
    earlier_text: int = field(default=0)
    # The same rule over the positions of verified participants only (None when not computed).
    verified: "Tally | None" = field(default=None)

    @property
    def positions(self) -> int:
        return sum(count.total for count in self.groups.values())

    def as_json(self) -> dict:
        return {
            "groups": {
                g: {"support": c.support, "oppose": c.oppose, "abstain": c.abstain}
                for g, c in self.groups.items()
            },
            "group_support": {g: _float(r) for g, r in self.group_support.items()},
            "equal_weight": _float(self.equal_weight),
            "headcount": _float(self.headcount),
            "consensus": self.consensus,
            "positions_on_earlier_text": self.earlier_text,
            **({"verified": self.verified.core_json()} if self.verified is not None else {}),
        }

    def core_json(self) -> dict:
        """The groups and the three scores, as the verified-only tally is shown."""
        return {
            "groups": {
                g: {"support": c.support, "oppose": c.oppose, "abstain": c.abstain}
                for g, c in self.groups.items()
            },
            "equal_weight": _float(self.equal_weight),
            "headcount": _float(self.headcount),
            "consensus": self.consensus,
            "positions": self.positions,
        }


def _float(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 6)


def compute_tally(
    counts: dict[str, tuple[int, int, int] | GroupCount], earlier_text: int = 0
) -> Tally:
    """Apply the rule to {group: (support, oppose, abstain)}; groups absent count as no positions."""
    groups: dict[str, GroupCount] = {}
    for group in GROUPS:
        value = counts.get(group, GroupCount())
        groups[group] = value if isinstance(value, GroupCount) else GroupCount(*value)
    group_support: dict[str, Fraction | None] = {
        g: (Fraction(c.support, c.decisive) if c.decisive else None) for g, c in groups.items()
    }
    defined = [r for r in group_support.values() if r is not None]
    equal_weight = sum(defined, Fraction(0)) / len(defined) if defined else None
    support = sum(c.support for c in groups.values())
    decisive = sum(c.decisive for c in groups.values())
    headcount = Fraction(support, decisive) if decisive else None
    consensus = all(r is not None and r > Fraction(1, 2) for r in group_support.values())
    return Tally(groups, group_support, equal_weight, headcount, consensus, earlier_text)


def percent(value: Fraction | None) -> str:
    """A share as a rounded percentage, or an en dash when undefined."""
    return "–" if value is None else f"{round(float(value) * 100)}%"
