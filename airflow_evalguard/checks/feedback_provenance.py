"""feedback_provenance (problem 10): the staging thumbs-down button feeds training.

Feedback rows proposed as training data are only as good as where they came from. Each row must
come from an allowed environment and surface, carry consent, and hold no PII or secrets; the
accepted set must not be dominated by one author or by employees testing the product. Every
input row lands in exactly one of `accepted.parquet` or `quarantine.parquet` (with its reasons),
so the gate doubles as the filter the next task reads from. Nothing is dropped.

Shares here are facts about this set, not estimates of a population: the set is what will be
trained on, so the limits apply to the observed shares directly, without intervals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.pii.detectors import KINDS
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

    for name in ("allowed_environments", "allowed_surfaces", "employee_types", "pii"):
        if p[name] is not None and not all(isinstance(v, (str, int, bool)) for v in p[name]):
            raise EvalGuardInputError(f"param '{name}' must be a list of names, got {p[name]!r}")
    scanner = PiiScanner(p["pii"])
    table = tables["candidates"]
    table.require(_required_columns(p))
    frame = table.read().reset_index(drop=True)  # every column: quarantined rows keep all of them
    for col in (ROW, REASONS, RAW_BYTES):
        if col in frame.columns:
            raise EvalGuardInputError(f"input 'candidates': column '{col}' is reserved for the gate's output",
                                      input_name="candidates", column=col)
    n = len(frame)
    if n == 0:
        raise EvalGuardInputError("input 'candidates': no rows", input_name="candidates")
    text_col = p["text_column"]
    raw_text = frame[text_col]
    text, not_utf8 = decode_text(raw_text)

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

    scan = scanner.scan(text_str.where(text_str.notna(), None))
    pii_any = scan.any_hit()
    if p["pii_action"] == "quarantine":
        for j, kind in enumerate(scan.kinds):
            rules[f"pii:{kind}"] = scan.hits[:, j]
    rejected = np.zeros(n, dtype=bool)
    for mask in rules.values():
        rejected |= mask

    accepted_frame, quarantine_frame = _split(frame, text, not_utf8, scan, rules, rejected, p, text_col)
    metrics, findings, verdicts = _decide(frame, rules, scan, pii_any, rejected, p)
    evidence = _evidence(quarantine_frame, scan, text_col, rejected)
    summary = _summary(n, rejected, rules, metrics, verdicts, findings)
    return CheckResult(
        check="feedback_provenance", verdict=worst(verdicts), summary=summary, metrics=metrics,
        slices=_rule_slices(rules, n), findings=findings, evidence=evidence,
        tables={"accepted": accepted_frame, "quarantine": quarantine_frame},
        params={"pii_detectors": list(scan.kinds), "concentration_on": "accepted rows",
                "consent_values_accepted": sorted(CONSENT_YES) + ["True", "1"],
                "pii_method": "RE2 prefilter (pyarrow) + one combined Python pass per candidate row; "
                              "Luhn, IBAN mod-97, octet and layout validation"},
    )


def _split(frame, text, not_utf8, scan, rules, rejected, p, text_col):
    """accepted + quarantine partition the input; quarantined rows keep their original content."""
    reasons = np.array([""] * len(frame), dtype=object)
    for name, mask in rules.items():
        idx = np.flatnonzero(mask)
        reasons[idx] = [f"{r};{name}" if r else name for r in reasons[idx]]
    base = frame.copy()
    if not_utf8.any():  # keep the undecodable bytes exactly as they came
        base[RAW_BYTES] = [bytes(v) if bad else None for v, bad in zip(frame[text_col], not_utf8)]
    base[text_col] = text  # bytes cells decoded (with U+FFFD where invalid); str cells untouched
    base.insert(0, ROW, np.arange(len(frame)))
    accepted = base.loc[~rejected].copy()
    if p["pii_action"] == "redact" and scan.redacted:
        rows = [r for r in scan.redacted if not rejected[r]]
        accepted.loc[rows, text_col] = [scan.redacted[r] for r in rows]
    quarantine = base.loc[rejected].copy()
    quarantine[REASONS] = reasons[rejected]
    return accepted.reset_index(drop=True), quarantine.reset_index(drop=True)


def _decide(frame, rules, scan, pii_any, rejected, p):
    from airflow_evalguard.pii.scanner import PiiScanner

    n = len(frame)
    redact = PiiScanner().scan  # names from data reach messages only redacted
    metrics: dict[str, Metric] = {"rows": Metric(n), "accepted": Metric(int((~rejected).sum())),
                                  "rejected": Metric(int(rejected.sum())), "rejected_share": Metric(rejected.mean(), n=n)}
    for name, mask in rules.items():
        metrics[f"rule_failures[{name}]"] = Metric(int(mask.sum()), n=n)
        metrics[f"rule_failure_share[{name}]"] = Metric(mask.mean(), n=n)
    for j, kind in enumerate(scan.kinds):
        metrics[f"pii_rows[{kind}]"] = Metric(int(scan.hits[:, j].sum()), n=n)
    metrics["pii_rows"] = Metric(int(pii_any.sum()), n=n)

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
        shown = {redact([k]).redacted.get(0, k): int(v) for k, v in counts.items()}
        findings.append(Finding("warn", "NON_PRODUCTION_FEEDBACK",
                                f"{int(env.sum())} rows come from environments outside {p['allowed_environments']}: "
                                f"{shown}"))
    if pii_any.any():
        kinds = {k: int(scan.hits[:, j].sum()) for j, k in enumerate(scan.kinds) if scan.hits[:, j].any()}
        action = "quarantined" if p["pii_action"] == "quarantine" else "redacted and accepted"
        findings.append(Finding("info" if p["pii_action"] == "redact" else "warn", "PII_FOUND",
                                f"{int(pii_any.sum())} rows hold PII or secrets ({kinds}); {action}"))
    top = metrics.get("top_author_share")
    # One row per author is the least concentrated a set can be, however small: not a finding.
    if top is not None and top.value > p["max_author_share"] and int(authors.iloc[0]) > 1:
        verdicts.append(Verdict.FAIL)
        who = redact([str(authors.index[0])]).redacted.get(0, str(authors.index[0]))
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


def _evidence(quarantine: pd.DataFrame, scan, text_col: str, rejected: np.ndarray) -> pd.DataFrame | None:
    """Quarantined rows for people to read: PII redacted, long text cut, raw bytes left out."""
    from airflow_evalguard.columns.text import printable

    if quarantine.empty:
        return None
    head = quarantine.head(EVIDENCE_ROWS).drop(columns=[RAW_BYTES], errors="ignore").copy()
    head[text_col] = [scan.redacted.get(int(r), t) for r, t in zip(head[ROW], head[text_col])]
    return printable(_redact_other_columns(head, text_col))


def _redact_other_columns(frame: pd.DataFrame, text_col: str) -> pd.DataFrame:
    """Author ids and free-form columns can hold e-mails too: redact every text column."""
    from airflow_evalguard.pii.scanner import PiiScanner

    scanner = PiiScanner()
    for col in frame.columns:
        if col in (text_col, ROW, REASONS) or not (frame[col].dtype == object or isinstance(frame[col].dtype, pd.StringDtype)):
            continue
        values = frame[col].map(lambda v: v if v is None or isinstance(v, str) else str(v))
        result = scanner.scan(values.where(values.notna(), None))
        if result.redacted:
            frame[col] = [result.redacted.get(i, v) for i, v in enumerate(values)]
    return frame


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
    },
    run=run,
)
