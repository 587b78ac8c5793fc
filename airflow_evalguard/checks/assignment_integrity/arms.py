"""Which arms the experiment has, in which order, with which expected shares.

The arms are `expected_split`'s, in its order (an expected arm with no units counts zeros), or
the observed arms with equal shares. Every statistic is re-indexed to that order, so "arm 0" is
the reference every other arm is compared with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from airflow_evalguard.checks.assignment_integrity.tables import ARM, ArmTables, FieldTable
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.stats.balance import Moments

EMPTY = Moments(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Arms:
    labels: list[str]
    split: dict[str, float]  # arm -> expected share, as used (echoed as expected_split_effective)
    expected_shares: np.ndarray
    counts: np.ndarray  # units per arm
    moments: dict[str, list[Moments]]  # numeric column -> per arm
    fields: dict[str, FieldTable]  # categorical or binned field -> (level, arm) counts
    form: str  # "units" or "aggregates"

    @property
    def n(self) -> int:
        return int(self.counts.sum())


def align(stats: ArmTables, expected_split: dict[str, Any]) -> Arms:
    source = "units" if stats.form == "units" else "arm_counts"
    split = {str(arm): float(share) for arm, share in (expected_split or {}).items()}
    if split:
        unknown = sorted(set(stats.arms) - set(split))
        if unknown:
            raise EvalGuardInputError(
                f"input '{source}': arm(s) {unknown} not in expected_split {sorted(split)}",
                input_name=source,
                column=ARM,
            )
        if abs(sum(split.values()) - 1) > 1e-6 or min(split.values()) <= 0:
            raise EvalGuardInputError(f"param 'expected_split': shares must be positive and sum to 1, got {split}")
        labels = list(split)
    else:
        labels = stats.arms
        split = {arm: 1 / len(labels) for arm in labels}
    if len(labels) < 2:
        raise EvalGuardInputError(
            f"input '{source}': one arm only ({labels}); nothing to compare", input_name=source, column=ARM
        )
    where = [stats.arms.index(arm) if arm in stats.arms else -1 for arm in labels]

    def by_arm(columns: np.ndarray) -> np.ndarray:
        # -1 picks the appended column of zeros: an expected arm without units
        padded = np.concatenate([columns, np.zeros(columns.shape[:-1] + (1,))], axis=-1)
        return padded[..., where]

    return Arms(
        labels=labels,
        split=split,
        expected_shares=np.array([split[arm] for arm in labels]),
        counts=by_arm(stats.units),
        moments={name: [per_arm[i] if i >= 0 else EMPTY for i in where] for name, per_arm in stats.moments.items()},
        fields={
            name: FieldTable(table.levels, by_arm(table.counts), table.how) for name, table in stats.fields.items()
        },
        form=stats.form,
    )
