"""The paired drop (teacher - student) of every group: McNemar and Newcombe's paired interval for
0/1 outcomes, the paired t (skewness-corrected for small groups of rows, stats.skew_t) for scores."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from airflow_evalguard.checks.common.paired_sizing import family_level, mcnemar_size, paired_t_size
from airflow_evalguard.checks.slice_retention.read import MOMENT_COLUMNS, Sample
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.stats.mcnemar_power import min_detectable_drop
from airflow_evalguard.stats.paired import PairedTable, mcnemar, newcombe_paired_ci
from airflow_evalguard.stats.paired_scores import (
    WITHHELD_METHOD,
    ScoreDrops,
    ScoreMoments,
    drops_from_moments,
    items_for_interval,
    paired_score_drops,
)
from airflow_evalguard.stats.paired_t_power import paired_t_min_detectable


@dataclass(frozen=True)
class Drops:
    """Per group: n, teacher and student value, drop (teacher - student) with CI, raw p, method."""

    n: np.ndarray
    teacher: np.ndarray
    student: np.ndarray
    drop: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    p: np.ndarray
    methods: list[str]
    spread: float  # overall discordance (0/1) or sd of differences (scores), for detectable drops
    nonzero: np.ndarray  # differences not exactly 0 (scores); n for 0/1 outcomes (McNemar needs none)

    def withheld(self, group: int) -> bool:
        """A score group with too few pairs or changes for an interval (stats.paired_scores)."""
        return self.methods[group] == WITHHELD_METHOD

    def at_least(self, group: int, floor: int) -> int:
        """The size a withheld group needs before it gets an interval, and at least `floor`."""
        if not self.withheld(group):
            return floor
        return max(floor, items_for_interval(int(self.n[group]), int(self.nonzero[group])))

    def p_value(self, group: int, warn_at: float) -> float | None:
        """The group's raw p-value; None when no test was run, or when a withheld group (no
        interval) drops less than warn_at: significant there it would read PASS, and it must read
        INCONCLUSIVE (its sign test can still show a drop of warn_at or more: WARN or FAIL)."""
        p = float(self.p[group])
        if not math.isfinite(p) or (self.withheld(group) and float(self.drop[group]) < warn_at):
            return None
        return p


def drops(sample: Sample, groups: np.ndarray, n_groups: int, params: dict[str, Any]) -> Drops:
    """The drops of the groups coded 0..n_groups-1 in `groups` (one code per entry of `sample`)."""
    if sample.moments is not None:
        # score slices from per-stratum sums: the paired t for every slice (a bootstrap needs rows)
        sums = ScoreMoments(
            *(
                np.bincount(groups, weights=sample.moments[col].to_numpy(float), minlength=n_groups)
                for col in MOMENT_COLUMNS
            )
        )
        return _score_drops(drops_from_moments(sums, alpha=params["alpha"]))
    assert sample.teacher is not None and sample.student is not None  # rows and cells carry both sides
    if params["metric"] == "correct":
        table = PairedTable.from_flags(
            sample.teacher < 0.5, sample.student < 0.5, groups, n_groups, weights=sample.weights
        )
        low, high = newcombe_paired_ci(table, params["alpha"])
        p_values, methods = mcnemar(table.worse, table.better)
        total = table.total()
        return Drops(
            table.n,
            1 - table.baseline_rate,
            1 - table.candidate_rate,
            table.delta,
            low,
            high,
            p_values,
            methods,
            float(total.discordance[0]),
            table.n,
        )
    return _score_drops(
        paired_score_drops(
            sample.teacher,
            sample.student,
            groups,
            n_groups,
            alpha=params["alpha"],
            n_boot=params["n_boot"],
            seed=params["seed"],
            weights=sample.weights,
        )
    )


def _score_drops(scores: ScoreDrops) -> Drops:
    # the groups partition the pairs, so their sums add up to the overall moments
    moments = scores.moments
    n, s1, s2 = moments.n.sum(), moments.diff_sum.sum(), moments.diff_sumsq.sum()
    overall_sd = float(np.sqrt(max(s2 - s1 * s1 / n, 0) / (n - 1))) if n > 1 else 0.0
    return Drops(
        scores.n,
        scores.teacher,
        scores.student,
        scores.drop,
        scores.ci_low,
        scores.ci_high,
        scores.p,
        scores.methods,
        overall_sd,
        scores.nonzero,
    )


def min_detectable(n: int, spread: float, params: dict[str, Any], members: int) -> float | None:
    """The drop detected with 80% power by a group of `n` pairs judged in a Holm family of
    `members`: exact McNemar power for 0/1, noncentral t for scores (stats.mcnemar_power,
    stats.paired_t_power); None when no drop is detected that often at this size."""
    level = family_level(params["alpha"], members)
    if params["metric"] == "correct":
        return min_detectable_drop(n, discordance=spread, level=level)
    return paired_t_min_detectable(n, sd=spread, level=level)


def size(fail_at: float, spread: float, params: dict[str, Any], members: int, at_least: int = 1) -> SampleSize:
    """The paired examples a group needs to detect a drop of `fail_at` with 80% power, by the test
    the group is judged with (and at least `at_least`, e.g. the slice's min_n)."""
    effect = f"a {fail_at * 100:.1f}-point drop"
    if params["metric"] == "correct":
        return mcnemar_size(
            fail_at,
            discordance=spread,
            alpha=params["alpha"],
            members=members,
            unit="paired examples",
            effect=effect,
            at_least=at_least,
        )
    return paired_t_size(
        fail_at,
        sd=spread,
        alpha=params["alpha"],
        members=members,
        unit="paired examples",
        effect=effect,
        at_least=at_least,
    )
