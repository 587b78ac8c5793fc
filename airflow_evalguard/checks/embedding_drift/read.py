"""embedding_drift's inputs: which combinations are allowed, and each input read and validated.

Each reader raises EvalGuardInputError for input that cannot be measured (empty, duplicate ids,
ragged or non-finite vectors, unknown roles or versions), naming the input and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from airflow_evalguard.checks.common.ratings import require_present
from airflow_evalguard.columns.offending import offending_values
from airflow_evalguard.columns.timestamps import to_datetime
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput

Vectors = npt.NDArray[np.float32]
PAIRS = (("probe_old", "probe_new"), ("corpus_old", "corpus_new"))


@dataclass(frozen=True)
class Probe:
    """The probe items under both models, and the corpus they search (None: the probe set itself)."""

    ids: npt.NDArray[Any]
    old: Vectors
    new: Vectors
    corpus_old: Vectors | None
    corpus_new: Vectors | None


def parts_given(tables: dict[str, TableInput]) -> list[str]:
    """The parts the given inputs allow ("events", "probe", "relevance"), refusing bad combinations."""
    for old, new in PAIRS:
        if (old in tables) != (new in tables):
            raise EvalGuardInputError(f"inputs '{old}' and '{new}' go together")
    if "probe" in tables and "probe_old" in tables:
        raise EvalGuardInputError("give the probe as 'probe' (a table) or 'probe_old'/'probe_new' (.npy), not both")
    has_probe = "probe" in tables or "probe_old" in tables
    if ("corpus" in tables or "corpus_old" in tables) and not has_probe:
        raise EvalGuardInputError("a corpus needs a probe to search it with")
    if not ({"events", "relevance"} & set(tables) or has_probe):
        raise EvalGuardInputError("embedding_drift needs at least one of the inputs events, probe, relevance")
    return [
        name
        for name, given in (("events", "events" in tables), ("probe", has_probe), ("relevance", "relevance" in tables))
        if given
    ]


def events(table: TableInput) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(index events, query events), each with `version` = model@version, in time order."""
    df = table.read(["ts", "arm", "embedding_model", "embedding_version", "role"])
    if len(df) == 0:
        raise EvalGuardInputError("input 'events' is empty", input_name="events")
    # A missing arm, model or version would drop the row from every group below (pandas leaves
    # missing values out of groupby), and an experiment whose arms all vanish passes vacuously.
    for column, what in (
        ("arm", "the experiment arm"),
        ("embedding_model", "the embedding model"),
        ("embedding_version", "the embedding version"),
    ):
        require_present(df, column, "events", what)
    role = df["role"].astype(str).str.lower()
    bad = ~role.isin(["index", "query"])
    if bad.any():
        raise EvalGuardInputError(
            f"input 'events': column 'role' must be index or query; found {offending_values(df.loc[bad, 'role'], 5)}",
            input_name="events",
            column="role",
        )
    df = df.assign(
        ts=to_datetime(df["ts"], input_name="events", column="ts"),
        role=role,
        version=df["embedding_model"].astype(str) + "@" + df["embedding_version"].astype(str),
        arm=df["arm"].astype(str),
    )
    df = df.sort_values("ts", kind="stable", ignore_index=True)  # out-of-order events are normal
    return df[df["role"] == "index"], df[df["role"] == "query"]


def probe(tables: dict[str, TableInput], id_column: str = "probe_id", doc_column: str = "doc_id") -> Probe:
    """The probe (a table or two .npy files) and the optional corpus, checked to be comparable;
    a probe table's rows are named by `id_column`, a corpus table's by `doc_column` (the params)."""
    if "probe" in tables:
        ids, old, new = _vectors(tables["probe"], id_column)
    else:
        old, new = _array(tables["probe_old"]), _array(tables["probe_new"])
        ids = np.arange(len(old))
    corpus_old: Vectors | None = None
    corpus_new: Vectors | None = None
    if "corpus" in tables:
        _, corpus_old, corpus_new = _vectors(tables["corpus"], doc_column)
    elif "corpus_old" in tables:
        corpus_old, corpus_new = _array(tables["corpus_old"]), _array(tables["corpus_new"])
    if old.shape[1] != new.shape[1]:
        # a silent upgrade keeps the dimension (clients would break otherwise): a mismatch here
        # means the two sides are not the same probe set embedded twice
        raise EvalGuardInputError(
            f"probe: old vectors have {old.shape[1]} dimensions, new ones {new.shape[1]}", input_name="probe"
        )
    if old.shape[0] != new.shape[0]:
        raise EvalGuardInputError(
            f"probe: {old.shape[0]} old vs {new.shape[0]} new vectors; they must be the same items", input_name="probe"
        )
    for name, vectors in (
        ("probe old", old),
        ("probe new", new),
        ("corpus old", corpus_old),
        ("corpus new", corpus_new),
    ):
        if vectors is not None:
            _validate(name, vectors)
    if (
        corpus_old is not None
        and corpus_new is not None
        and (corpus_old.shape[1] != old.shape[1] or corpus_new.shape[1] != new.shape[1])
    ):
        raise EvalGuardInputError(
            "corpus and probe vectors differ in dimension under the same model", input_name="corpus"
        )
    return Probe(ids, old, new, corpus_old, corpus_new)


def relevance(
    table: TableInput, old_version: str, new_version: str, query_column: str = "query_id", doc_column: str = "doc_id"
) -> pd.DataFrame:
    """Rows of query_id, doc_id, rank, relevant, version with numeric rank and relevance; the ids
    are read from the columns params query_column and doc_column name."""
    if query_column == doc_column:
        raise EvalGuardInputError(
            f"params query_column and doc_column both name '{doc_column}'; a query and a document need a column each",
            input_name="relevance",
        )
    df = table.read([query_column, doc_column, "rank", "relevant", "version"])
    df = df.rename(columns={query_column: "query_id", doc_column: "doc_id"})
    if len(df) == 0:
        raise EvalGuardInputError("input 'relevance' is empty", input_name="relevance")
    df = df.assign(
        version=df["version"].astype(str),
        rank=pd.to_numeric(df["rank"], errors="coerce"),
        relevant=pd.to_numeric(df["relevant"], errors="coerce"),
    )
    versions = {old_version, new_version}
    found = set(df["version"])
    if not versions <= found:
        raise EvalGuardInputError(
            f"input 'relevance': column 'version' needs {sorted(versions)}, found {sorted(found)[:5]}",
            input_name="relevance",
            column="version",
        )
    if df[["rank", "relevant"]].isna().any().any():
        raise EvalGuardInputError(
            "input 'relevance': 'rank' and 'relevant' must be numbers in every row", input_name="relevance"
        )
    return df


def _array(table: TableInput) -> Vectors:
    # io.TableInput.read_array has no annotations yet (not this package's module): it returns float32.
    vectors: Vectors = table.read_array()  # type: ignore[no-untyped-call]
    return vectors


def _vectors(table: TableInput, id_column: str) -> tuple[npt.NDArray[Any], Vectors, Vectors]:
    df = table.read([id_column, "old", "new"])
    if len(df) == 0:
        raise EvalGuardInputError(f"input '{table.name}' is empty", input_name=table.name)
    dup = df[id_column].duplicated()
    if dup.any():
        raise EvalGuardInputError(
            f"input '{table.name}': duplicate {id_column}(s) {df.loc[dup, id_column].head(5).tolist()}",
            input_name=table.name,
            column=id_column,
        )
    try:
        old, new = (np.stack(df[column].to_numpy()).astype(np.float32) for column in ("old", "new"))
    except ValueError as exc:
        raise EvalGuardInputError(
            f"input '{table.name}': vectors in a column differ in length ({exc})", input_name=table.name
        ) from exc
    ids: npt.NDArray[Any] = df[id_column].to_numpy()
    return ids, old, new


def _validate(name: str, vectors: Vectors) -> None:
    bad = ~np.isfinite(vectors).all(axis=1)
    if bad.any():
        raise EvalGuardInputError(
            f"input '{name}': {int(bad.sum())} vector(s) contain NaN or inf, rows {np.flatnonzero(bad)[:5].tolist()}",
            input_name=name,
        )
    zero = np.linalg.norm(vectors, axis=1) == 0
    if zero.any():
        raise EvalGuardInputError(
            f"input '{name}': {int(zero.sum())} zero-norm vector(s), rows {np.flatnonzero(zero)[:5].tolist()}",
            input_name=name,
        )
