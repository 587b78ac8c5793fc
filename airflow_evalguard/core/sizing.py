"""One way to say how much data would settle an undecided question.

When a gate cannot decide, the size it names is the number a team acts on ("collect 1,544 pairs"),
so every INCONCLUSIVE finding and every UNDERPOWERED_SLICE states it the same way: the size, its
unit, the effect it was sized for, the power and the method that computed it (the method the check
actually runs, e.g. exact McNemar below 25 discordant pairs). `tests/test_inconclusive_rule.py`
holds every check to this sentence; `SIZED_FOR` is the pattern it looks for.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# What the rule test searches a finding's message for (bounded, non-backtracking-prone pattern).
SIZED_FOR = re.compile(r"(about [0-9][0-9,]* [a-z][a-z -]{0,40}|no sample size) would settle (it|this) \(sized for ")


@dataclass(frozen=True)
class SampleSize:
    """`n` is None when no sample size settles the question (the effect is out of reach, or the
    data carry no signal to size from); `effect` words what it was sized for, e.g.
    "a 5.0-point drop" or "an interval narrower than the 0.10 band"."""

    n: int | None
    unit: str
    effect: str
    power: float = 0.8
    method: str = ""

    def __post_init__(self) -> None:
        if self.n is not None and (not isinstance(self.n, int) or self.n < 1):
            raise ValueError(f"a stated sample size must be a positive integer or None, got {self.n!r}")
        if not 0 < self.power < 1 or math.isnan(self.power):
            raise ValueError(f"power must lie in (0, 1), got {self.power!r}")

    def words(self) -> str:
        how = f"{self.power:.0%} power" + (f", {self.method}" if self.method else "")
        if self.n is None:
            return f"no sample size would settle it (sized for {self.effect}, {how})"
        return f"about {self.n:,} {self.unit} would settle it (sized for {self.effect}, {how})"
