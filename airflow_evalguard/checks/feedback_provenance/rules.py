"""The provenance rules: one boolean mask per rule over the candidate rows (True: the row breaks it).

A row breaking any rule is rejected (quarantined with the names of the rules it breaks). The
rules: non-empty UTF-8 text, an allowed environment and surface, consent, a known author, and
PII: with pii_action="quarantine" one rule per detector (`pii:<kind>`), with "redact" only the
cells that cannot be redacted in place (`pii_not_redactable`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.feedback_provenance.scan import ColumnScan, Mask

CONSENT_YES = {"true", "yes", "y", "1", "granted", "opt_in", "opted_in", "given"}


def consented(values: pd.Series) -> Mask:
    """True where the consent cell says yes: True, 1, or one of CONSENT_YES in any case."""

    def yes(value: Any) -> bool:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return False
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, (int, np.integer)):
            return bool(value == 1)
        return str(value).strip().lower() in CONSENT_YES

    mask: Mask = values.map(yes).to_numpy(dtype=bool)
    return mask


def allowed(values: pd.Series, names: list[Any]) -> Mask:
    """True where the cell, as text, is one of `names` (as text); missing cells are not allowed."""
    mask: Mask = values.astype("string").isin([str(name) for name in names]).fillna(False).to_numpy(dtype=bool)
    return mask


def provenance(frame: pd.DataFrame, text: pd.Series, not_utf8: Mask, params: dict[str, Any]) -> dict[str, Mask]:
    """The rules on where a row came from and what its text is, in the order reasons are listed."""
    rules: dict[str, Mask] = {}
    rules["empty_text"] = ~text.astype("string").str.contains(r"\S", regex=True).fillna(False).to_numpy(dtype=bool)
    rules["text_not_utf8"] = not_utf8
    if params["allowed_environments"] is not None:
        rules["environment_not_allowed"] = ~allowed(frame["environment"], params["allowed_environments"])
    if params["allowed_surfaces"] is not None:
        rules["surface_not_allowed"] = ~allowed(frame["surface"], params["allowed_surfaces"])
    if params["require_consent"]:
        rules["no_consent"] = ~consented(frame["consent"])
    if frame["author_id"].isna().any():
        rules["author_missing"] = frame["author_id"].isna().to_numpy()
    return rules


def pii_hits(scans: dict[Any, ColumnScan], kinds: tuple[str, ...], rows: int) -> Mask:
    """(rows, kinds): the row holds PII of that kind in any scanned column."""
    hits = np.zeros((rows, len(kinds)), dtype=bool)
    for found in scans.values():
        hits |= found.hits
    return hits


def pii(scans: dict[Any, ColumnScan], kinds: tuple[str, ...], hits: Mask, action: str) -> dict[str, Mask]:
    """The PII rules: a rule per kind when PII is quarantined; when it is redacted, a rule only
    for cells that cannot be redacted in place (a number, a JSON object), if there are any."""
    if action == "quarantine":
        return {f"pii:{kind}": hits[:, column] for column, kind in enumerate(kinds)}
    unredactable = np.zeros(len(hits), dtype=bool)
    for found in scans.values():
        unredactable |= found.unredactable
    return {"pii_not_redactable": unredactable} if unredactable.any() else {}


def rejected(rules: dict[str, Mask], rows: int) -> Mask:
    """The rows that break any rule."""
    out = np.zeros(rows, dtype=bool)
    for mask in rules.values():
        out |= mask
    return out


@dataclass(frozen=True)
class Screened:
    """Every rule's mask and the PII found: what the parts, the outputs and the evidence read."""

    rules: dict[str, Mask]  # in the order reasons are listed
    kinds: tuple[str, ...]  # the detectors run, in the scanner's order
    hits: Mask  # (rows, kinds): PII of that kind in any scanned column
    scans: dict[Any, ColumnScan]  # per scanned column
    rejected: Mask

    @property
    def rows(self) -> int:
        return len(self.rejected)

    @property
    def pii_any(self) -> Mask:
        return np.asarray(self.hits.any(axis=1), dtype=bool)


def screen(
    frame: pd.DataFrame,
    text: pd.Series,
    not_utf8: Mask,
    scans: dict[Any, ColumnScan],
    kinds: tuple[str, ...],
    params: dict[str, Any],
) -> Screened:
    """Every rule over the candidate rows: provenance first, then PII."""
    hits = pii_hits(scans, kinds, len(frame))
    rules = {**provenance(frame, text, not_utf8, params), **pii(scans, kinds, hits, params["pii_action"])}
    return Screened(rules, kinds, hits, scans, rejected(rules, len(frame)))
