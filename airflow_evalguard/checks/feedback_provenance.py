"""feedback_provenance (problem 10): the staging thumbs-down button feeds training.

Feedback rows proposed as training data are only as good as where they came from. Each row must
come from an allowed environment and surface, carry consent, and hold no PII or secrets in any
column that can hold text (the text, author ids, notes, JSON objects; `scan_columns` narrows
that); the accepted set must not be dominated by one author or by employees testing the product.
Every input row lands in exactly one of `accepted.parquet` or `quarantine.parquet` (with its
reasons), so the gate doubles as the filter the next task reads from. Nothing is dropped.

Each output keeps the input's columns and dtypes and holds nothing of the other's rows: strings
are read as strings (a categorical cut from the input would carry the input's whole category
list, rejected rows' text included, into the file as its dictionary), categoricals of the input
are rebuilt from each table's own values. With pii_action="redact" every match is redacted in
every scanned column of both tables (undecodable text bytes included); evidence, report and
messages show data only after redaction by every detector, whatever `pii` and `scan_columns` say.

Shares here are facts about this set, not estimates of a population: the set is what will be
trained on, so the limits apply to the observed shares directly, without intervals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.columns.writable import writable
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.pii.detectors import KINDS
from airflow_evalguard.pii.messages import redacted
from airflow_evalguard.result import CheckResult, Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict, worst

ROW, REASONS, RAW_BYTES = "evalguard_row", "evalguard_reasons", "evalguard_text_bytes"
CONSENT_YES = {"true", "yes", "y", "1", "granted", "opt_in", "opted_in", "given"}
EVIDENCE_ROWS = 1000


def _consented(values: pd.Series) -> np.ndarray:
    def yes(v) -> bool:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return False
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if isinstance(v, (int, np.integer)):
            return v == 1
        return str(v).strip().lower() in CONSENT_YES

    return values.map(yes).to_numpy(dtype=bool)


def _allowed(values: pd.Series, allowed: list) -> np.ndarray:
    return values.astype("string").isin([str(a) for a in allowed]).fillna(False).to_numpy(dtype=bool)


def _required_columns(p: dict) -> list[str]:
    need = [p["text_column"], "author_id"]
    if p["allowed_environments"] is not None:
        need.append("environment")
    if p["allowed_surfaces"] is not None:
        need.append("surface")
    if p["require_consent"]:
        need.append("consent")
    if p["max_employee_share"] < 1:
        need.append("author_type")
    return need


def run(tables: dict[str, TableInput], p: dict[str, Any]) -> CheckResult:
    from airflow_evalguard.columns.text import decode_text
    from airflow_evalguard.pii.scanner import PiiScanner

    for name in ("allowed_environments", "allowed_surfaces", "employee_types", "pii", "scan_columns"):
        if p[name] is not None and not all(isinstance(v, (str, int, bool)) for v in p[name]):
            raise EvalGuardInputError(f"param '{name}' must be a list of names, got {p[name]!r}")
    scanner = PiiScanner(p["pii"])
    table = tables["candidates"]
    table.require(_required_columns(p))
    # Every column (quarantined rows keep all of them), strings as strings: rows written back
    # out must keep the input's dtypes and must not carry a dictionary of every value in the file.
    frame = table.read(categorical_strings=False).reset_index(drop=True)
    for col in (ROW, REASONS, RAW_BYTES):
        if col in frame.columns:
            raise EvalGuardInputError(f"input 'candidates': column '{col}' is reserved for the gate's output",
                                      input_name="candidates", column=col)
    n = len(frame)
    if n == 0:
        raise EvalGuardInputError("input 'candidates': no rows", input_name="candidates")
    text_col = p["text_column"]
    scan_cols = _scan_columns(frame, p)
    text, not_utf8 = decode_text(frame[text_col])

    rules: dict[str, np.ndarray] = {}
    text_str = text.astype("string")
    rules["empty_text"] = ~text_str.str.contains(r"\S", regex=True).fillna(False).to_numpy(dtype=bool)
    rules["text_not_utf8"] = not_utf8
    if p["allowed_environments"] is not None:
        rules["environment_not_allowed"] = ~_allowed(frame["environment"], p["allowed_environments"])
    if p["allowed_surfaces"] is not None:
        rules["surface_not_allowed"] = ~_allowed(frame["surface"], p["allowed_surfaces"])
    if p["require_consent"]:
        rules["no_consent"] = ~_consented(frame["consent"])
    if frame["author_id"].isna().any():
        rules["author_missing"] = frame["author_id"].isna().to_numpy()

    scans = {col: _scan_column(scanner, frame[col], dedupe=col != text_col) for col in scan_cols}
    hits = np.zeros((n, len(scanner.kinds)), dtype=bool)
    for found in scans.values():
        hits |= found.hits
    pii_any = hits.any(axis=1)
    if p["pii_action"] == "quarantine":
        for j, kind in enumerate(scanner.kinds):
            rules[f"pii:{kind}"] = hits[:, j]
    else:  # a cell that is no string (a number, a JSON object) cannot be redacted in place
        unredactable = np.zeros(n, dtype=bool)
        for found in scans.values():
            unredactable |= found.unredactable
        if unredactable.any():
            rules["pii_not_redactable"] = unredactable
    rejected = np.zeros(n, dtype=bool)
    for mask in rules.values():
        rejected |= mask

    accepted_frame, quarantine_frame = _split(frame, text, not_utf8, scans, rules, rejected, p, text_col)
    metrics, findings, verdicts = _decide(frame, rules, scanner.kinds, hits, pii_any, scans, rejected, p)
    evidence = _evidence(quarantine_frame)
    summary = _summary(n, rejected, rules, metrics, verdicts, findings)
    return CheckResult(
        check="feedback_provenance", verdict=worst(verdicts), summary=summary, metrics=metrics,
        slices=_rule_slices(rules, n), findings=findings, evidence=evidence,
        tables={"accepted": accepted_frame, "quarantine": quarantine_frame},
        params={"pii_detectors": list(scanner.kinds), "pii_scanned_columns": [str(c) for c in scan_cols],
                "concentration_on": "accepted rows",
                "consent_values_accepted": sorted(CONSENT_YES) + ["True", "1"],
                "pii_method": "RE2 prefilter (pyarrow) + linear-time RE2 patterns per candidate cell; "
                              "Luhn, IBAN mod-97, octet and layout validation"},
    )


# -- which cells hold text, and their PII ------------------------------------------------------
def _holds_text(series: pd.Series) -> bool:
    """Columns whose cells can be text: strings, bytes, categoricals of strings, objects (mixed,
    JSON objects and lists). Numbers, booleans and timestamps are not scanned."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _holds_text(pd.Series(dtype.categories))
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        t = dtype.pyarrow_dtype
        t = t.value_type if pa.types.is_dictionary(t) else t
        return not (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t)
                    or pa.types.is_temporal(t) or pa.types.is_decimal(t) or pa.types.is_null(t))
    return dtype == object or isinstance(dtype, pd.StringDtype)


def _scan_columns(frame: pd.DataFrame, p: dict) -> list[str]:
    """The text column, and every other column that can hold text unless `scan_columns` names
    the ones to scan (the text column is always scanned: it is what training reads)."""
    text_col = p["text_column"]
    if p["scan_columns"] is None:
        others = [c for c in frame.columns if c != text_col and _holds_text(frame[c])]
    else:
        missing = [c for c in p["scan_columns"] if c not in frame.columns]
        if missing:
            raise EvalGuardInputError(f"param 'scan_columns': no column(s) {missing} in input 'candidates'; "
                                      f"it has {[str(c) for c in frame.columns][:20]}",
                                      input_name="candidates", column=str(missing[0]))
        others = [c for c in dict.fromkeys(p["scan_columns"]) if c != text_col]
    return [text_col, *others]


def _cell_text(value: Any) -> str | None:
    """The text of one cell for the scanner: bytes decoded (undecodable bytes kept as surrogate
    escapes, so a redaction can be encoded back byte for byte), nested values (JSON objects,
    lists) flattened to their keys and leaves, other scalars as str()."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "surrogateescape")
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return "\n".join(_cell_text(x) or "" for item in value.items() for x in item)
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return "\n".join(_cell_text(x) or "" for x in value)
    return str(value)


class _ColumnScan:
    """PII in one column: hits per row and kind; for every row with a hit, the redacted cell in
    the cell's own type, or None where the cell cannot be redacted in place (`unredactable`: a
    number, or a JSON object whose PII spans its leaves)."""

    def __init__(self, hits: np.ndarray, redacted: dict[int, Any], unredactable: np.ndarray):
        self.hits, self.redacted, self.unredactable = hits, redacted, unredactable


def _redacted_like(cell: Any, redacted: str, scanner) -> Any:
    """The redacted text in the cell's own type (bytes for bytes; JSON objects and lists with
    each string redacted), or None for cells that cannot be redacted in place."""
    if isinstance(cell, str):
        return redacted
    if isinstance(cell, (bytes, bytearray, memoryview)):
        return redacted.encode("utf-8", "surrogateescape")
    if isinstance(cell, (dict, list, tuple, set, np.ndarray)):
        out = _redact_nested(cell, scanner)
        return out if not scanner.find(_cell_text(out) or "") else None
    return None


def _redact_nested(value: Any, scanner) -> Any:
    if isinstance(value, str):
        return scanner.redact(value, scanner.find(value))
    if isinstance(value, (bytes, bytearray, memoryview)):
        text = bytes(value).decode("utf-8", "surrogateescape")
        return scanner.redact(text, scanner.find(text)).encode("utf-8", "surrogateescape")
    if isinstance(value, dict):
        return {_redact_nested(k, scanner): _redact_nested(v, scanner) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return [_redact_nested(v, scanner) for v in value]
    return value


def _distinct(series: pd.Series, dedupe: bool) -> tuple[np.ndarray, list]:
    """(code per row, -1 for missing; the text of each distinct value). With `dedupe` the
    scanner reads each distinct value once (an author id or a surface repeats over many rows; a
    categorical is read through its categories); free text is read row by row."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(), [_cell_text(v) for v in series.cat.categories.tolist()]
    strings = isinstance(series.dtype, pd.StringDtype)
    if not dedupe:
        values = series.tolist()
        texts = values if strings else [_cell_text(v) for v in values]
        missing = series.isna().to_numpy()
        return np.where(missing, -1, np.arange(len(series))), [None if m else t for t, m in zip(texts, missing)]
    try:
        codes, uniques = pd.factorize(series)
    except TypeError:  # unhashable cells (JSON objects, lists): by their text
        codes, uniques = pd.factorize(pd.Series([_cell_text(v) for v in series.tolist()], dtype=object))
        return codes, uniques.tolist()
    uniques = uniques.tolist()
    return codes, uniques if strings else [_cell_text(v) for v in uniques]


def _scan_column(scanner, series: pd.Series, dedupe: bool = True) -> _ColumnScan:
    n = len(series)
    codes, uniques = _distinct(series, dedupe)
    result = scanner.scan(uniques)
    hits = np.zeros((n, len(scanner.kinds)), dtype=bool)
    known = codes >= 0
    hits[known] = result.hits[codes[known]]
    redacted: dict[int, Any] = {}
    unredactable = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(hits.any(axis=1))
    values = series.iloc[rows].tolist() if len(rows) else []
    for row, value in zip(rows, values):
        cell = _redacted_like(value, result.redacted[int(codes[row])], scanner)
        unredactable[row] = cell is None
        redacted[int(row)] = cell  # None: nulled in the outputs with pii_action="redact"
    return _ColumnScan(hits, redacted, unredactable)


# -- the two output tables -----------------------------------------------------------------------
def _split(frame, text, not_utf8, scans, rules, rejected, p, text_col):
    """accepted + quarantine partition the input; quarantined rows keep their original content
    (with pii_action="redact", redacted like the accepted ones). Each table keeps the input's
    columns and dtypes, and holds nothing of the other's rows: no categories, no attrs."""
    reasons = np.array([""] * len(frame), dtype=object)
    for name, mask in rules.items():
        idx = np.flatnonzero(mask)
        reasons[idx] = [f"{r};{name}" if r else name for r in reasons[idx]]
    base = frame.copy()
    base.attrs = {}
    cells = frame[text_col].tolist() if frame[text_col].dtype == object else None  # bytes only come as objects
    binary = cells is not None and _all_bytes(cells)
    raw = None
    if not binary:
        base[text_col] = text  # bytes cells decoded (with U+FFFD where invalid); str cells untouched
        if not_utf8.any():  # keep the undecodable bytes exactly as they came
            raw = [bytes(v) if bad else None for v, bad in zip(cells, not_utf8)]
    redact = p["pii_action"] == "redact"
    if redact:
        for col, found in scans.items():
            if not found.redacted:
                continue
            rows = list(found.redacted)
            values = [found.redacted[r] for r in rows]
            if col == text_col and not binary:
                if raw is not None:
                    for r, v in zip(rows, values):
                        if raw[r] is not None:
                            raw[r] = v.encode("utf-8", "surrogateescape") if isinstance(v, str) else v
                values = [_as_text(v) for v in values]
            base[col] = _with_cells(base[col], rows, values)
    if raw is not None:
        base[RAW_BYTES] = raw
    base.insert(0, ROW, np.arange(len(frame)))
    accepted = base.loc[~rejected].drop(columns=[RAW_BYTES], errors="ignore")
    quarantine = base.loc[rejected].copy()
    quarantine[REASONS] = reasons[rejected]
    return _own_values(accepted, frame), _own_values(quarantine, frame)


def _all_bytes(cells: list) -> bool:
    """A text column of bytes only (a parquet binary column): the outputs keep it binary."""
    seen = False
    for v in cells:
        if isinstance(v, (bytes, bytearray)):
            seen = True
        elif v is not None and not (isinstance(v, float) and v != v) and v is not pd.NA:
            return False
    return seen


def _as_text(value):
    """A redacted text-column cell as the str the accepted text column holds."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return value


def _with_cells(column: pd.Series, rows: list[int], values: list) -> pd.Series:
    """`column` with `rows` set to `values`; categoricals (and Arrow dictionaries) as plain
    values here, rebuilt per output table by _own_values."""
    if isinstance(column.dtype, pd.CategoricalDtype) or (
            isinstance(column.dtype, pd.ArrowDtype) and _is_arrow_dictionary(column.dtype)):
        column = column.astype(object)
    column = column.copy()
    column.iloc[rows] = values
    return column


def _own_values(table: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """`table` with every categorical rebuilt from its own values: a categorical cut from the
    input keeps the input's whole category list (every value of every row, rejected ones
    included), and parquet writes that list as the column's dictionary and its size in the
    pandas metadata. The input's category order is kept for the values that remain."""
    table = table.reset_index(drop=True)
    for col in like.columns:
        dtype = like[col].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            values = table[col].astype(object)
            present = set(values.dropna())
            categories = [c for c in dtype.categories if c in present]
            categories += sorted(present.difference(categories), key=str)  # redactions
            table[col] = pd.Categorical(values, categories=categories, ordered=dtype.ordered)
        elif isinstance(dtype, pd.ArrowDtype) and _is_arrow_dictionary(dtype):
            import pyarrow as pa

            plain = pa.array(table[col].astype(object).tolist(), type=dtype.pyarrow_dtype.value_type)
            encoded = plain.dictionary_encode().cast(dtype.pyarrow_dtype)
            table[col] = pd.Series(pd.arrays.ArrowExtensionArray(encoded))
        elif dtype == object:
            table[col] = writable(table[col])
    table.attrs = {}
    return table


def _is_arrow_dictionary(dtype: pd.ArrowDtype) -> bool:
    import pyarrow as pa

    return pa.types.is_dictionary(dtype.pyarrow_dtype)


def _decide(frame, rules, kinds, hits, pii_any, scans, rejected, p):
    # Names from data (surfaces, author ids) reach messages only redacted by every detector.
    n = len(frame)
    metrics: dict[str, Metric] = {"rows": Metric(n), "accepted": Metric(int((~rejected).sum())),
                                  "rejected": Metric(int(rejected.sum())), "rejected_share": Metric(rejected.mean(), n=n)}
    for name, mask in rules.items():
        metrics[f"rule_failures[{name}]"] = Metric(int(mask.sum()), n=n)
        metrics[f"rule_failure_share[{name}]"] = Metric(mask.mean(), n=n)
    for j, kind in enumerate(kinds):
        metrics[f"pii_rows[{kind}]"] = Metric(int(hits[:, j].sum()), n=n)
    metrics["pii_rows"] = Metric(int(pii_any.sum()), n=n)
    in_columns = {col: int(found.hits.any(axis=1).sum()) for col, found in scans.items()}
    for col, count in in_columns.items():
        metrics[f"pii_rows_in_column[{str(col)}]"] = Metric(count, n=n)

    findings, verdicts = [], [Verdict.PASS]
    accepted = frame.loc[~rejected]
    authors = accepted["author_id"].astype("string").value_counts()
    if len(accepted):
        shares = authors.to_numpy(dtype=float) / len(accepted)
        metrics["author_hhi"] = Metric(float((shares ** 2).sum()), n=len(accepted))
        metrics["top_author_share"] = Metric(float(shares[0]), n=len(accepted))
        metrics["authors"] = Metric(len(authors))
        if "author_type" in frame.columns:
            employee = _allowed(accepted["author_type"], p["employee_types"])
            metrics["employee_share"] = Metric(float(employee.mean()), n=len(accepted))

    share = float(rejected.mean())
    top_rules = sorted(((int(m.sum()), name) for name, m in rules.items() if m.any()), reverse=True)
    why = ", ".join(f"{name} {count}" for count, name in top_rules)
    if share > p["max_rejected_share"]:
        verdicts.append(Verdict.FAIL)
        findings.append(Finding("fail", "REJECTED_SHARE", f"{rejected.sum()} of {n} candidate rows ({share:.1%}) break "
                                                          f"provenance rules, above the {p['max_rejected_share']:.1%} "
                                                          f"allowed ({why}): the pipeline feeding training is leaking"))
    elif rejected.any():
        verdicts.append(Verdict.WARN)
        findings.append(Finding("warn", "ROWS_QUARANTINED", f"{rejected.sum()} of {n} rows ({share:.1%}) quarantined "
                                                            f"({why}); the accepted set is clean"))
    env = rules.get("environment_not_allowed")
    if env is not None and env.any():
        counts = frame.loc[env, "environment"].astype("string").fillna("<missing>").value_counts().head(5)
        shown = {redacted(k): int(v) for k, v in counts.items()}
        findings.append(Finding("warn", "NON_PRODUCTION_FEEDBACK",
                                f"{int(env.sum())} rows come from environments outside {p['allowed_environments']}: "
                                f"{shown}"))
    if pii_any.any():
        found = {k: int(hits[:, j].sum()) for j, k in enumerate(kinds) if hits[:, j].any()}
        where = {str(col): count for col, count in in_columns.items() if count}
        action = "quarantined" if p["pii_action"] == "quarantine" else "redacted (in every output)"
        findings.append(Finding("info" if p["pii_action"] == "redact" else "warn", "PII_FOUND",
                                f"{int(pii_any.sum())} rows hold PII or secrets ({found}; rows per column {where}); "
                                f"{action}"))
    if rules.get("pii_not_redactable") is not None:
        findings.append(Finding("warn", "PII_NOT_REDACTABLE",
                                f"{int(rules['pii_not_redactable'].sum())} rows hold PII in cells that cannot be "
                                "redacted in place (numbers; JSON objects whose PII spans several values): quarantined, "
                                "with those cells emptied"))
    top = metrics.get("top_author_share")
    # One row per author is the least concentrated a set can be, however small: not a finding.
    if top is not None and top.value > p["max_author_share"] and int(authors.iloc[0]) > 1:
        verdicts.append(Verdict.FAIL)
        who = redacted(str(authors.index[0]))
        findings.append(Finding("fail", "AUTHOR_CONCENTRATION",
                                f"one author ({who}) supplies {top.value:.1%} of the accepted set "
                                f"({int(authors.iloc[0])} of {len(accepted)} rows), above {p['max_author_share']:.1%}"))
    emp = metrics.get("employee_share")
    if emp is not None and emp.value > p["max_employee_share"]:
        verdicts.append(Verdict.FAIL)
        findings.append(Finding("fail", "EMPLOYEE_FEEDBACK",
                                f"{emp.value:.1%} of the accepted set comes from authors of type {p['employee_types']}, "
                                f"above {p['max_employee_share']:.1%}: the model would learn the team's taste, "
                                "not the customers'"))
    return metrics, findings, verdicts


def _rule_slices(rules: dict[str, np.ndarray], n: int) -> list[SliceResult]:
    return [SliceResult(f"rule={name}", Verdict.WARN if mask.any() else Verdict.PASS,
                        {"rows": Metric(int(mask.sum()), n=n), "share": Metric(float(mask.mean()), n=n)})
            for name, mask in rules.items()]


def _evidence(quarantine: pd.DataFrame) -> pd.DataFrame | None:
    """Quarantined rows for people to read: PII redacted in every column by every detector
    (whatever `pii` and `scan_columns` chose for the rules), long text cut, raw bytes left out."""
    from airflow_evalguard.columns.text import printable
    from airflow_evalguard.pii.scanner import PiiScanner

    if quarantine.empty:
        return None
    head = quarantine.head(EVIDENCE_ROWS).drop(columns=[RAW_BYTES], errors="ignore").reset_index(drop=True)
    scanner = PiiScanner()
    for col in head.columns:
        series = head[col]
        if col in (ROW, REASONS) or pd.api.types.is_bool_dtype(series) or pd.api.types.is_float_dtype(series) \
                or pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_timedelta64_dtype(series):
            continue
        # Integers too: a card or phone number stored as a number is still one.
        texts = [_cell_text(v) for v in series.tolist()]
        result = scanner.scan(texts)
        if result.redacted or isinstance(series.dtype, pd.CategoricalDtype):
            head[col] = pd.Series([result.redacted.get(i, t) for i, t in enumerate(texts)], dtype=object)
    return printable(head)


def _summary(n, rejected, rules, metrics, verdicts, findings) -> str:
    fails = [f for f in findings if f.severity == "fail"]
    accepted = int((~rejected).sum())
    if fails:
        return (f"Do not train on this feedback as is: {'; '.join(f.message for f in fails)}. "
                f"{accepted} of {n} rows would be accepted.")
    if rejected.any():
        return (f"{accepted} of {n} feedback rows accepted for training; {int(rejected.sum())} quarantined "
                f"({metrics['rejected_share'].value:.1%}) with their reasons.")
    return f"All {n} feedback rows meet the provenance contract (environment, surface, consent, PII, concentration)."


SPEC = CheckSpec(
    name="feedback_provenance",
    summary="Is feedback proposed as training data from production, consented, free of PII, and not dominated "
            "by one author or by employees?",
    inputs={"candidates": InputSpec("feedback rows: text, environment, surface, author_id, author_type, consent, "
                                    "created_at, any more")},
    params={
        "allowed_environments": ParamSpec(["production"], list, "environments feedback may come from (null: any)",
                                          nullable=True),
        "allowed_surfaces": ParamSpec(None, list, "curation surfaces feedback may come from (null: any)",
                                      nullable=True),
        "require_consent": ParamSpec(True, bool, "reject rows without consent (true/yes/granted/1)"),
        "pii": ParamSpec(list(KINDS), list, f"PII detectors to run, from {list(KINDS)}"),
        "pii_action": ParamSpec("quarantine", str, "quarantine rows with PII, or redact the matches and accept",
                                choices=("quarantine", "redact")),
        "max_rejected_share": ParamSpec(0.05, float, "FAIL when rules reject more than this share of rows",
                                        minimum=0, maximum=1),
        "max_author_share": ParamSpec(0.05, float, "FAIL when one author supplies more of the accepted set",
                                      minimum=0, maximum=1),
        "max_employee_share": ParamSpec(0.10, float, "FAIL when employees supply more of the accepted set "
                                                     "(1 turns the rule off)", minimum=0, maximum=1),
        "employee_types": ParamSpec(["employee"], list, "author_type values that count as employees"),
        "text_column": ParamSpec("text", str, "column holding the feedback text"),
        "scan_columns": ParamSpec(None, list, "columns scanned for PII besides the text column (null: every column "
                                              "that can hold text: strings, bytes, categoricals, JSON objects)",
                                  nullable=True),
    },
    decide=run,
)
