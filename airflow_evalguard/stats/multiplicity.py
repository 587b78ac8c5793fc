"""Family-wise error control across slices, dimensions or covariates."""

from __future__ import annotations

from collections.abc import Sequence


def holm_adjust(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm-Bonferroni adjusted p-values (step-down, monotone, capped at 1).

    Hand-written because statsmodels (`multipletests(method="holm")`, the test oracle) is not a
    runtime dependency. `None` entries (a test that could not be run) are left out of the family
    and come back as `None`.
    """
    indexed = [(p, i) for i, p in enumerate(p_values) if p is not None]
    m = len(indexed)
    adjusted: list[float | None] = [None] * len(p_values)
    running_max = 0.0
    for rank, (p, i) in enumerate(sorted(indexed)):
        running_max = max(running_max, min(1.0, (m - rank) * p))
        adjusted[i] = running_max
    return adjusted
