import json

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from tests.schema import assert_valid_result

HOURS = np.array([2, 2, 2, 3, 3, 4, 5, 6, 8, 8, 9, 10, 11, 12, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22], dtype=float)


def traffic(n, seed, hour_weights=None, regions=("us", "eu", "apac"), region_p=(0.5, 0.3, 0.2)):
    rng = np.random.default_rng(seed)
    w = np.ones(24) if hour_weights is None else np.asarray(hour_weights, float)
    hour = rng.choice(24, size=n, p=w / w.sum())
    ts = pd.Timestamp("2026-06-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 7, n) * 86400 + hour * 3600 + rng.integers(0, 3600, n), unit="s"
    )
    return pd.DataFrame({"ts": ts, "region": rng.choice(regions, size=n, p=region_p)})


def run(sample, reference, **params):
    result = run_check("sampling_window", {"sample": sample, "reference": reference}, params)
    assert_valid_result(result)
    return result


def test_rows_and_aggregated_reference_give_the_same_answer():
    ref_rows = traffic(20000, 1)
    agg = (
        ref_rows.assign(hour_of_day=ref_rows["ts"].dt.hour)
        .groupby(["hour_of_day", "region"], as_index=False)
        .size()
        .rename(columns={"size": "count"})
    )
    sample = traffic(1500, 2)
    a = run(sample, ref_rows, dimensions=["region"]).to_dict()
    b = run(sample, agg, dimensions=["region"]).to_dict()
    assert a["verdict"] == b["verdict"]
    assert a["metrics"] == b["metrics"]


def test_same_inputs_same_result():
    sample, ref = traffic(800, 3), traffic(5000, 4)
    a, b = run(sample, ref, seed=7).to_dict(), run(sample, ref, seed=7).to_dict()
    for key in ("verdict", "metrics", "findings", "summary"):
        assert a[key] == b[key]


def test_weights_reweight_the_sample_to_the_reference_mix():
    ref = traffic(50000, 5, region_p=(0.6, 0.3, 0.1))
    sample = traffic(3000, 6, region_p=(0.3, 0.3, 0.4))
    result = run(sample, ref, dimensions=["region"])
    weights = result.tables["weights"]
    assert len(weights) == len(sample) and list(weights.columns) == ["row", "weight"]
    weighted = weights["weight"].groupby(sample["region"].to_numpy()).sum() / weights["weight"].sum()
    target = ref["region"].value_counts(normalize=True)
    for region in ("us", "eu", "apac"):
        assert weighted[region] == pytest.approx(target[region], abs=1e-6)
    assert result.metrics["kish_ess"].value < len(sample)
    assert result.verdict.value == "FAIL"  # region TVD 0.3, far beyond fail_at
    region_finding = [f for f in result.findings if f.code == "MIX_SHIFT"][0].message
    assert "region=apac holds 40% of the sample and 10% of traffic" in region_finding


def test_weights_can_be_keyed_by_an_id_column():
    sample = traffic(500, 7).assign(example_id=lambda d: [f"ex{i}" for i in range(len(d))])
    result = run(sample, traffic(5000, 8), id_column="example_id")
    assert result.tables["weights"]["id"].tolist()[:2] == ["ex0", "ex1"]


def test_evidence_has_a_row_per_stratum_and_joint_cell():
    result = run(traffic(1000, 9), traffic(5000, 10), dimensions=["region"])
    ev = result.evidence
    assert set(ev["dimension"]) == {"hour_of_day", "region", "joint"}
    assert {"sample_share", "reference_share", "ratio", "weight"} <= set(ev.columns)
    assert ev.loc[ev["dimension"] == "region", "sample_share"].sum() == pytest.approx(1)


def test_nan_in_a_stratum_column_is_its_own_stratum():
    sample = traffic(1000, 11)
    sample.loc[sample.index[:300], "region"] = None
    result = run(sample, traffic(5000, 12), dimensions=["region"])
    ev = result.evidence
    missing = ev[(ev["dimension"] == "region") & (ev["stratum"] == "region=(missing)")]
    assert len(missing) == 1 and int(missing["sample_count"].iloc[0]) == 300
    assert result.verdict.value == "FAIL"  # 30% of the sample in a stratum production never has
    assert any(f.code == "SAMPLE_ONLY_STRATA" for f in result.findings)


def test_timezone_moves_the_hours():
    # Every sample row at 02:xx UTC; in Asia/Tokyo that is 11:xx local
    sample = pd.DataFrame({"ts": pd.date_range("2026-01-05 02:00", periods=200, freq="7s", tz="UTC")})
    result = run(sample, traffic(5000, 13), timezone="Asia/Tokyo")
    mix = [f for f in result.findings if f.code == "MIX_SHIFT"][0].message
    assert "11:00-12:00 Asia/Tokyo holds 100% of the sample" in mix


def test_naive_timestamps_are_local_in_the_timezone():
    sample = pd.DataFrame({"ts": ["2026-01-05 02:10:00"] * 50})
    result = run(sample, traffic(2000, 14), timezone="America/Chicago")
    ev = result.evidence
    row = ev[ev["stratum"] == "hour_of_day=2"]
    assert int(row["sample_count"].iloc[0]) == 50


def test_result_json_is_strict_and_lists_inputs():
    result = run(traffic(500, 15), traffic(2000, 16))
    obj = json.loads(result.to_json())
    assert [i["name"] for i in obj["inputs"]] == ["sample", "reference"]
    assert obj["inputs"][0]["rows"] == 500 and len(obj["inputs"][0]["sha256"]) == 64


# ---- bad input ------------------------------------------------------------------------------
def test_missing_timestamp_column():
    with pytest.raises(EvalGuardInputError, match=r"input 'sample': missing column\(s\) \['when'\]"):
        run(traffic(10, 1), traffic(10, 2), timestamp_column="when")


def test_unparseable_timestamps_named():
    sample = pd.DataFrame({"ts": ["2026-01-01T00:00:00Z", "garbage", "2026-01-01T02:00:00Z"]})
    with pytest.raises(EvalGuardInputError, match=r"input 'sample'.*row 1: 'garbage'"):
        run(sample, traffic(100, 2))


def test_empty_sample():
    with pytest.raises(EvalGuardInputError, match="input 'sample' is empty"):
        run(traffic(10, 1).iloc[:0], traffic(100, 2))


def test_reference_with_zero_total_count():
    agg = pd.DataFrame({"hour_of_day": [1, 2], "count": [0, 0]})
    with pytest.raises(EvalGuardInputError, match="input 'reference': zero total count"):
        run(traffic(10, 1), agg)


def test_negative_or_bad_counts_and_hours():
    with pytest.raises(EvalGuardInputError, match=r"'count' must be a non-negative number.*row 1: -3"):
        run(traffic(10, 1), pd.DataFrame({"hour_of_day": [1, 2], "count": [5, -3]}))
    with pytest.raises(EvalGuardInputError, match=r"'hour_of_day' must hold whole hours 0-23.*row 0: 24"):
        run(traffic(10, 1), pd.DataFrame({"hour_of_day": [24, 2], "count": [5, 3]}))


def test_dimension_absent_from_one_side():
    ref = traffic(100, 2).drop(columns=["region"])
    with pytest.raises(EvalGuardInputError, match=r"input 'reference': missing column\(s\) \['region'\]"):
        run(traffic(10, 1), ref, dimensions=["region"])


def test_nonexistent_path(tmp_path):
    with pytest.raises(EvalGuardInputError, match="input 'sample': no such file"):
        run(str(tmp_path / "nope.parquet"), traffic(100, 2))


def test_bands_and_timezone_params_are_validated():
    with pytest.raises(EvalGuardInputError, match="warn_at <= fail_at"):
        run(traffic(10, 1), traffic(10, 2), warn_at=0.3, fail_at=0.2)
    with pytest.raises(EvalGuardInputError, match="unknown time zone"):
        run(traffic(10, 1), traffic(10, 2), timezone="Nowhere/Else")


def test_a_p_value_below_the_float_range_is_worded_as_such_not_as_zero():
    # a 3 am cron: every sample row from 02:00-04:00; the chi-square p underflows to 0.0
    hours = np.zeros(24)
    hours[[2, 3]] = 1
    result = run(traffic(5000, 31, hour_weights=hours), traffic(60_000, 32), dimensions=["region"])
    assert result.metrics["chi2_p_holm[hour_of_day]"].value == 0.0
    shift = next(f for f in result.findings if f.code == "MIX_SHIFT" and f.message.startswith("hour_of_day"))
    assert "chi-square p < 1e-300 after Holm" in shift.message
    assert "p 0 " not in shift.message
