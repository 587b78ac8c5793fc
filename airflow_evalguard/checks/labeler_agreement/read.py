"""labeler_agreement's inputs -> label rows, side by side in their two forms: `labels` (one row per
label) or `label_counts` (batch, item, label, count: how many labelers gave the item that label; the
GROUP BY a warehouse returns), both returned as rows, the counts with a `count` column; and gold."""

from __future__ import annotations

from typing import Any

import pandas as pd

from airflow_evalguard.checks.common.aggregates import one_form, whole_counts
from airflow_evalguard.checks.common.ratings import read_required, reject_duplicates, require_present
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput

ITEM, LABELER, LABEL, BATCH = "item_id", "labeler_id", "label", "batch"


def _label_counts(table: TableInput, id_column: str) -> pd.DataFrame:
    labels = read_required(table, [ITEM, LABEL, BATCH, "count"], id_column=(ITEM, id_column))
    for col, what in ((ITEM, "item id"), (BATCH, "batch")):
        require_present(labels, col, "label_counts", what)
    labels = labels[labels[LABEL].notna()].assign(count=lambda df: whole_counts(df["count"], "label_counts"))
    if len(labels) == 0 or labels["count"].sum() == 0:
        raise EvalGuardInputError("input 'label_counts': no labels", input_name="label_counts", column=LABEL)
    reject_duplicates(labels, [BATCH, ITEM, LABEL], "label_counts")
    return labels


def _label_rows(table: TableInput, id_column: str) -> pd.DataFrame:
    labels = read_required(table, [ITEM, LABELER, LABEL, BATCH], id_column=(ITEM, id_column))
    for col, what in ((ITEM, "item id"), (LABELER, "labeler id"), (BATCH, "batch")):
        require_present(labels, col, "labels", what)
    labels = labels[labels[LABEL].notna()]
    if len(labels) == 0:
        raise EvalGuardInputError("input 'labels': every label is missing", input_name="labels", column=LABEL)
    reject_duplicates(labels, [BATCH, ITEM, LABELER], "labels")
    if labels[LABELER].nunique() < 2:
        raise EvalGuardInputError(
            f"input 'labels': only one labeler ({labels[LABELER].iloc[0]!r}); agreement needs at least two",
            input_name="labels",
            column=LABELER,
        )
    return labels


def _gold(table: TableInput, id_column: str) -> pd.DataFrame:
    gold = read_required(table, [ITEM, LABEL], id_column=(ITEM, id_column))
    require_present(gold, ITEM, "gold", "item id")
    gold = gold[gold[LABEL].notna()]
    if gold[ITEM].duplicated().any():
        ids = gold.loc[gold[ITEM].duplicated(), ITEM].head(5).tolist()
        raise EvalGuardInputError(f"input 'gold': duplicate {ITEM}(s) {ids}", input_name="gold", column=ITEM)
    return gold


def read(tables: dict[str, TableInput], id_column: str = ITEM) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(label rows, gold labels or None); items are joined on `id_column` (param id_column)."""
    if one_form(set(tables) - {"gold"}, ("labels",), "label_counts"):
        labels = _label_counts(tables["label_counts"], id_column)
    else:
        labels = _label_rows(tables["labels"], id_column)
    gold = _gold(tables["gold"], id_column) if "gold" in tables else None
    return labels, gold


def batch_order(batches: pd.Series, explicit: list[Any] | None) -> list[Any]:
    """The batches in time order: `explicit` (param batch_order), else sorted."""
    present = list(pd.unique(batches))
    if explicit is not None:
        missing = [batch for batch in present if batch not in explicit and str(batch) not in map(str, explicit)]
        if missing:
            raise EvalGuardInputError(f"param 'batch_order' lacks batch(es) {missing[:10]} found in input 'labels'")
        rank = {str(batch): i for i, batch in enumerate(explicit)}
        return sorted(present, key=lambda batch: rank[str(batch)])
    try:
        return sorted(present)
    except TypeError:
        return sorted(present, key=str)
