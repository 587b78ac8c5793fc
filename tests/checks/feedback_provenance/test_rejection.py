"""feedback_provenance.rejection: counts per rule, kind and column by hand; the share limit."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.feedback_provenance import rejection, rules
from airflow_evalguard.checks.feedback_provenance.scan import ColumnScan
from airflow_evalguard.core.compose import compose
from airflow_evalguard.verdicts import Verdict

PARAMS = {"max_rejected_share": 0.25, "allowed_environments": ["production"], "pii_action": "quarantine"}


def _screened():
    frame = pd.DataFrame({"environment": ["production", "staging", "staging", "production"] * 2})
    hits = np.zeros((8, 2), dtype=bool)
    hits[0, 1] = True
    scans = {
        "text": ColumnScan(hits, {0: "x"}, np.zeros(8, dtype=bool)),
        "notes": ColumnScan(np.zeros((8, 2), dtype=bool), {}, np.zeros(8, dtype=bool)),
    }
    masks = {
        "environment_not_allowed": (frame["environment"] != "production").to_numpy(),
        "pii:secret": hits[:, 0],
        "pii:email": hits[:, 1],
    }
    return frame, rules.Screened(masks, ("secret", "email"), hits, scans, rules.rejected(masks, 8))


@pytest.mark.parametrize(
    "limit,verdict,code", [(0.25, Verdict.FAIL, "REJECTED_SHARE"), (0.75, Verdict.WARN, "ROWS_QUARANTINED")]
)
def test_share_against_its_limit(limit, verdict, code):
    frame, screened = _screened()
    part = rejection.part(frame, screened, {**PARAMS, "max_rejected_share": limit})
    assert part.validity == (verdict,)
    assert part.findings[0].code == code and "5 of 8" in part.findings[0].message
    assert "environment_not_allowed 4, pii:email 1" in part.findings[0].message  # most rows first


def test_counts_by_hand():
    frame, screened = _screened()
    part = rejection.part(frame, screened, PARAMS)
    metrics = {name: metric.value for name, metric in part.metrics.items()}
    assert metrics["rows"] == 8 and metrics["rejected"] == 5 and metrics["accepted"] == 3
    assert metrics["rejected_share"] == 5 / 8
    assert metrics["rule_failures[environment_not_allowed]"] == 4 and metrics["rule_failure_share[pii:email]"] == 1 / 8
    assert metrics["pii_rows[email]"] == 1 and metrics["pii_rows[secret]"] == 0 and metrics["pii_rows"] == 1
    assert metrics["pii_rows_in_column[text]"] == 1 and metrics["pii_rows_in_column[notes]"] == 0
    codes = [finding.code for finding in part.findings]
    assert codes == ["REJECTED_SHARE", "NON_PRODUCTION_FEEDBACK", "PII_FOUND"]
    assert part.findings[1].message == "4 rows come from environments outside production: staging 4"
    assert "(email 1; rows per column: text 1)" in part.findings[2].message


def test_a_slice_per_rule_warns_where_the_rule_bites():
    frame, screened = _screened()
    composed = compose([rejection.part(frame, screened, PARAMS)], alpha=0.05)
    assert {s.slice: s.verdict for s in composed.slices} == {
        "rule=environment_not_allowed": Verdict.WARN,
        "rule=pii:secret": Verdict.PASS,
        "rule=pii:email": Verdict.WARN,
    }
    assert composed.verdict is Verdict.FAIL and composed.findings[-1].code != "UNDERPOWERED_SLICE"


def test_redacted_pii_is_information_not_a_warning():
    frame, screened = _screened()
    part = rejection.part(frame, screened, {**PARAMS, "pii_action": "redact"})
    (pii,) = [finding for finding in part.findings if finding.code == "PII_FOUND"]
    assert pii.severity == "info" and pii.message.endswith("redacted (in every output)")
