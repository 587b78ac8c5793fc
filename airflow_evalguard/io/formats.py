"""Which file formats an input may be, told from its name, and column names a check can trust."""

from __future__ import annotations

from collections import Counter

from airflow_evalguard.exceptions import EvalGuardInputError

FORMATS = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def detect_format(uri: str, input_name: str) -> str:
    lower = str(uri).lower()
    for suffix, fmt in FORMATS.items():
        if lower.endswith(suffix) or lower.endswith(suffix + ".gz"):
            return fmt
    raise EvalGuardInputError(
        f"input '{input_name}': cannot tell the format of {uri!r}; use one of {sorted(FORMATS)}",
        input_name=input_name,
    )


def refuse_duplicate_columns(input_name: str, names: list[str]) -> list[str]:
    """`names`, unless one appears twice: pandas would rename the second (`correct.1`) and a check
    would silently read whichever came first."""
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        raise EvalGuardInputError(
            f"input '{input_name}': column name(s) {repeated[:10]} appear more than once; which one a check "
            "should read is ambiguous",
            input_name=input_name,
            column=repeated[0],
        )
    return names


def missing_columns(missing: list[str], column_params: dict[str, str]) -> str:
    """ "missing column(s) ['ts'] (set timestamp_column=... or map it with columns={'ts': ...})":
    the parameter that names each missing column where the check has one, else the mapping."""
    mapping = "columns={" + ", ".join(f"{column!r}: '<your column>'" for column in missing) + "}"
    them = "it" if len(missing) == 1 else "them"
    named = [(column, column_params[column]) for column in missing if column in column_params]
    if not named:
        return f"missing column(s) {missing} (map {them} with {mapping})"
    params = ", ".join(
        f"{param}=..." if len(missing) == 1 else f"{param}=... for {column!r}" for column, param in named
    )
    return f"missing column(s) {missing} (set {params} or map {them} with {mapping})"
