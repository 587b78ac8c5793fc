"""labeler_agreement's inputs and parameters (light: no pandas, read when a DAG file is parsed)."""

from __future__ import annotations

from airflow_evalguard.core import params
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec

LEVELS = ("nominal", "ordinal", "interval")  # as checks.common.ratings.LEVELS, which imports pandas

SPEC = CheckSpec(
    name="labeler_agreement",
    summary="Is rising labeler agreement real, or have labelers homogenized and stopped measuring?",
    inputs={
        "labels": InputSpec("one row per label: item_id, labeler_id, label, batch (time order)", required=False),
        "label_counts": InputSpec(
            "instead of labels: batch, item_id, label and count (labelers who gave it)", required=False
        ),
        "gold": InputSpec("gold labels: item_id, label", required=False),
    },
    params={
        "level": ParamSpec("nominal", str, "measurement level of the labels", choices=LEVELS),
        "id_column": params.id_column("item_id", "an item in labels, label_counts and gold"),
        "order": ParamSpec(None, list, "scale order of word labels (ordinal/interval)", nullable=True),
        "batch_order": ParamSpec(None, list, "explicit batch order (default: sorted batch values)", nullable=True),
        "warn_at": params.warn_at(0.05, "homogenizing alpha rise (first->last batch) that warns"),
        "fail_at": params.fail_at(0.10, "homogenizing alpha rise that fails"),
        "alpha": params.alpha(),
        # the bootstrap runs once per batch: labeler_agreement defaults to 1,000; below the shared floor
        # of 200 the per-batch alpha interval under-covers (docs/decisions/resample-floors.md)
        "n_boot": params.n_boot("bootstrap resamples over items per batch", default=1000),
        "seed": params.seed(),
    },
    decide="airflow_evalguard.checks.labeler_agreement.decide:decide",
    headline=("trend.alpha", "trend.discrimination", "trend.gold_accuracy", "trend.entropy"),
    plots=None,
)
