import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from airflow_evalguard.checks.assignment_integrity.balance import balance_part, band_family, smd_row
from airflow_evalguard.stats.balance import beyond_band_p
from airflow_evalguard.verdicts import Verdict
from tests.checks.assignment_integrity.arms_of import arms_of, units


def test_numeric_smd_is_the_pooled_standardised_difference():
    frame = units(4000, 1)
    arms, _ = arms_of(frame, covariates=["prompt_tokens"])
    row = smd_row(arms, "prompt_tokens", 1)
    a, b = (frame.loc[frame["arm"] == arm, "prompt_tokens"] for arm in ("A", "B"))
    assert row.smd == pytest.approx((b.mean() - a.mean()) / np.sqrt((a.var() + b.var()) / 2))
    assert row.method == "smd"


def test_categorical_smd_is_the_largest_level_indicator_difference():
    frame = units(4000, 2)
    arms, _ = arms_of(frame, covariates=["language"])
    row = smd_row(arms, "language", 1)
    shares = frame.groupby("arm")["language"].value_counts(normalize=True).unstack()
    by_level = [
        (shares.loc["B", lv] - shares.loc["A", lv])
        / np.sqrt(
            (shares.loc["A", lv] * (1 - shares.loc["A", lv]) + shares.loc["B", lv] * (1 - shares.loc["B", lv])) / 2
        )
        for lv in shares.columns
    ]
    assert abs(row.smd) == pytest.approx(max(abs(x) for x in by_level)) and row.method == "max_level_smd"


def test_each_band_is_its_own_holm_family():
    frame = units(3000, 3).assign(prompt_tokens=lambda d: d["prompt_tokens"] * np.where(d["arm"] == "B", 1.2, 1.0))
    arms, params = arms_of(frame, covariates=["prompt_tokens", "language"])
    rows = [smd_row(arms, c, 1) for c in ("prompt_tokens", "language")]
    judged = band_family(rows, 0.1, Verdict.WARN, 0.05)
    raw = [beyond_band_p(r.smd, r.se, 0.1) for r in rows]
    assert [j.p_adjusted for j in judged] == pytest.approx(list(multipletests(raw, method="holm")[1]))


def test_a_shift_beyond_the_warn_band_warns_and_names_the_means():
    frame = units(20000, 4).assign(prompt_tokens=lambda d: d["prompt_tokens"] * np.where(d["arm"] == "B", 1.18, 1.0))
    arms, params = arms_of(frame, covariates=["prompt_tokens"])
    balance = balance_part(arms, params)
    assert balance.part.validity == (Verdict.WARN,)
    assert balance.part.findings[0].code == "COVARIATE_IMBALANCE" and balance.part.findings[0].severity == "warn"
    assert balance.part.headline[0].startswith("arm B's mean prompt_tokens is")
    assert balance.methods == {"prompt_tokens": "smd"}
