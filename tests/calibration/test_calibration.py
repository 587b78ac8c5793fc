"""Calibration of the checks' decisions and intervals (slow: thousands of simulated runs)."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.run import run_check
from tests.calibration.harness import coverage, covers, null_false_fail, power_honest

pytestmark = pytest.mark.slow
SIMS = 300  # per size, for the null and for the regression at fail_at
COVERAGE_SIMS = 1000  # a 93-97% band needs ~1000 runs to be read (sd of the rate ~0.7%)


# -- refusal_regression: paired prompts, Newcombe's paired interval, McNemar ---------------------
def _refusals(rng, n, harmful_delta):
    rows_b, rows_c = [], []
    for expected, delta in (("refuse", harmful_delta), ("comply", 0.0)):
        # cells: both bad, baseline-only bad, candidate-only bad, both fine
        p = np.array([0.07, 0.03, 0.03 + delta, 0.87 - delta])
        cell = rng.choice(4, size=n, p=p)
        b_bad, c_bad = np.isin(cell, [0, 1]), np.isin(cell, [0, 2])
        bad = "compliance" if expected == "refuse" else "refusal"
        good = "refusal" if expected == "refuse" else "compliance"
        ids = [f"{expected}-{i}" for i in range(n)]
        cats = np.array(["a", "b", "c", "d"])[rng.integers(0, 4, n)]
        rows_b.append(
            pd.DataFrame(
                {"prompt_id": ids, "category": cats, "expected": expected, "label": np.where(b_bad, bad, good)}
            )
        )
        rows_c.append(
            pd.DataFrame(
                {"prompt_id": ids, "category": cats, "expected": expected, "label": np.where(c_bad, bad, good)}
            )
        )
    return pd.concat(rows_b, ignore_index=True), pd.concat(rows_c, ignore_index=True)


@pytest.mark.parametrize("n", [200, 1500])
def test_refusal_regression(n):
    rng = np.random.default_rng(n)
    null, hits = [], []
    for _ in range(COVERAGE_SIMS if n == 1500 else SIMS):
        b, c = _refusals(rng, n, 0.0)
        r = run_check("refusal_regression", {"baseline": b, "candidate": c}, {})
        null.append(r.verdict.value)
        hits.append(covers(r.to_dict()["metrics"]["harmful_compliance_rate.delta"], 0.0))
    null_false_fail("refusal_regression", null, label=f"null n={n}")
    if n == 1500:
        coverage("refusal_regression", "harmful_compliance_rate.delta", hits)
    bad = []
    for _ in range(SIMS):
        b, c = _refusals(rng, n, 0.05)
        bad.append(run_check("refusal_regression", {"baseline": b, "candidate": c}, {}).verdict.value)
    power_honest("refusal_regression", bad, label=f"+fail_at n={n}")


# -- slice_retention: teacher vs student per slice -------------------------------------------------
def _grades(rng, n, drop):
    skill = np.array(["s1", "s2", "s3"])[rng.choice(3, n, p=(0.6, 0.3, 0.1))]
    teacher = rng.random(n) < 0.8
    # student keeps the teacher's answer except for a symmetric 10% flip, plus `drop` of losses
    flip = rng.random(n) < 0.1
    student = np.where(flip, rng.random(n) < 0.8, teacher)
    lose = rng.random(n) < drop / 0.8
    student = np.where(lose & teacher, False, student)
    ids = np.arange(n)
    return (
        pd.DataFrame({"example_id": ids, "skill": skill, "correct": teacher.astype(int)}),
        pd.DataFrame({"example_id": ids, "skill": skill, "correct": student.astype(int)}),
    )


@pytest.mark.parametrize("n", [500, 3000])
def test_slice_retention(n):
    rng = np.random.default_rng(n + 1)
    null, hits = [], []
    for _ in range(COVERAGE_SIMS if n == 3000 else SIMS):
        t, s = _grades(rng, n, 0.0)
        r = run_check("slice_retention", {"teacher": t, "student": s}, {"slice_columns": ["skill"]})
        null.append(r.verdict.value)
        hits.append(covers(r.to_dict()["metrics"]["drop"], 0.0))
    null_false_fail("slice_retention", null, label=f"null n={n}")
    if n == 3000:
        coverage("slice_retention", "drop", hits)
    bad = []
    for _ in range(SIMS):
        t, s = _grades(rng, n, 0.05)
        bad.append(
            run_check("slice_retention", {"teacher": t, "student": s}, {"slice_columns": ["skill"]}).verdict.value
        )
    power_honest("slice_retention", bad, label=f"+fail_at n={n}")


# -- sampling_window: the sample's mix against production -----------------------------------------
@pytest.fixture(scope="module")
def reference():
    from airflow_evalguard.demo.data import production_traffic, reference_counts

    return reference_counts(production_traffic(60_000, seed=7))


def _sample_counts(rng, reference, n, tvd_hours):
    q = reference["count"].to_numpy(dtype=float)
    q = q / q.sum()
    if tvd_hours:
        hour_share = reference.assign(q=q).groupby("hour_of_day")["q"].sum()
        h0 = int(hour_share.idxmin())
        lam = tvd_hours / (1 - hour_share[h0])
        in_h0 = (reference["hour_of_day"] == h0).to_numpy()
        q = (1 - lam) * q + lam * np.where(in_h0, q / q[in_h0].sum(), 0.0)
    return reference.drop(columns=["count"]).assign(count=rng.multinomial(n, q))


@pytest.mark.parametrize("n", [300, 2000])
def test_sampling_window(reference, n):
    rng = np.random.default_rng(n + 3)
    params = {"dimensions": ["region", "source", "is_retry"], "n_boot": 300}
    null = [
        run_check(
            "sampling_window", {"sample": _sample_counts(rng, reference, n, 0.0), "reference": reference}, params
        ).verdict.value
        for _ in range(SIMS)
    ]
    null_false_fail("sampling_window", null, label=f"null n={n}")
    bad = [
        run_check(
            "sampling_window", {"sample": _sample_counts(rng, reference, n, 0.2), "reference": reference}, params
        ).verdict.value
        for _ in range(SIMS)
    ]
    power_honest("sampling_window", bad, label=f"TVD fail_at n={n}")


# -- latency_tail: fine-tune p99 against the base model --------------------------------------------
def _ab(rng, n, ratio):
    ts = pd.Timestamp("2026-11-01", tz="UTC") + pd.to_timedelta(np.arange(2 * n), unit="s")
    endpoint = np.repeat(["base", "tuned"], n)
    latency = rng.lognormal(6, 0.5, 2 * n) * np.where(endpoint == "tuned", ratio, 1.0)
    return pd.DataFrame({"ts": ts, "endpoint": endpoint, "latency_ms": latency})


@pytest.mark.parametrize("n", [800, 3000])
def test_latency_tail(n):
    from scipy.stats import lognorm

    rng = np.random.default_rng(n + 4)
    true_p99 = float(lognorm(s=0.5, scale=np.exp(6)).ppf(0.99))
    null, hits = [], []
    for _ in range(COVERAGE_SIMS if n == 3000 else SIMS):
        r = run_check("latency_tail", {"requests": _ab(rng, n, 1.0)}, {"baseline_endpoint": "base"})
        null.append(r.verdict.value)
        base = next(s for s in r.to_dict()["slices"] if s["slice"].startswith("endpoint=base"))
        hits.append(covers(base["metrics"]["p99"], true_p99))
    null_false_fail("latency_tail", null, label=f"null n={n}")
    if n == 3000:
        coverage("latency_tail", "p99 (order statistics)", hits)
    bad = [
        run_check("latency_tail", {"requests": _ab(rng, n, 1.25)}, {"baseline_endpoint": "base"}).verdict.value
        for _ in range(SIMS)
    ]
    power_honest("latency_tail", bad, label=f"x1.25 n={n}")


# -- output_contract: the escalation-rate band ----------------------------------------------------
def test_output_contract_escalation_band(tmp_path):
    contract = tmp_path / "band.yaml"
    contract.write_text(
        "name: band\nversion: 1\nbehaviour:\n  escalation_rate:\n"
        '    escalated_when: tool == "escalate_to_human"\n    warn_at: 0.03\n    fail_at: 0.06\n'
    )
    rng = np.random.default_rng(5)

    def frame(rate, n=1500):
        return pd.DataFrame({"tool": np.where(rng.random(n) < rate, "escalate_to_human", "answer")})

    null, hits, bad = [], [], []
    for i in range(COVERAGE_SIMS):
        r = run_check("output_contract", {"records": frame(0.12), "baseline": frame(0.12)}, {"contract": str(contract)})
        null.append(r.verdict.value)
        hits.append(covers(r.to_dict()["metrics"]["escalation_rate.delta"], 0.0))
        if i < SIMS:
            bad.append(
                run_check(
                    "output_contract", {"records": frame(0.18), "baseline": frame(0.12)}, {"contract": str(contract)}
                ).verdict.value
            )
    null_false_fail("output_contract", null)
    coverage("output_contract", "escalation_rate.delta", hits)
    power_honest("output_contract", bad)


# -- judge_drift: anchors re-scored by the judge as it is now -------------------------------------
def _anchors(rng, n, shift):
    ref = rng.uniform(1, 5, n)
    return pd.DataFrame(
        {"item_id": [f"a{i}" for i in range(n)], "reference_score": ref, "score": ref + shift + rng.normal(0, 0.3, n)}
    )


def test_judge_drift_anchors():
    rng = np.random.default_rng(6)
    params = {"score_type": "interval", "n_boot": 400}
    null, hits = [], []
    for _ in range(COVERAGE_SIMS):
        r = run_check("judge_drift", {"anchors": _anchors(rng, 300, 0.0)}, params)
        null.append(r.verdict.value)
        hits.append(covers(r.to_dict()["metrics"]["anchor_shift"], 0.0))
    null_false_fail("judge_drift", null)
    coverage("judge_drift", "anchor_shift", hits)
    bad = [run_check("judge_drift", {"anchors": _anchors(rng, 300, 0.25)}, params).verdict.value for _ in range(SIMS)]
    power_honest("judge_drift", bad)


# -- assignment_integrity: an honest 50/50 assignment ---------------------------------------------
@pytest.mark.parametrize("n", [500, 4000])
def test_assignment_integrity_null(n):
    rng = np.random.default_rng(8 + n)
    verdicts = []
    for _ in range(200):
        units = pd.DataFrame(
            {
                "unit_id": np.arange(n),
                "arm": np.where(rng.random(n) < 0.5, "A", "B"),
                "prompt_tokens": rng.normal(300, 50, n),
                "tier": rng.choice(["free", "pro"], n),
                "lang": rng.choice(["en", "de", "fr"], n, p=[0.6, 0.3, 0.1]),
            }
        )
        verdicts.append(
            run_check(
                "assignment_integrity",
                {"units": units},
                {"covariates": ["prompt_tokens", "tier"], "assembler_inputs": ["lang", "prompt_tokens"], "n_perm": 199},
            ).verdict.value
        )
    null_false_fail("assignment_integrity", verdicts, label=f"null n={n}")


# -- labeler_agreement: stationary labelers over batches -----------------------------------------
def test_labeler_agreement_null():
    rng = np.random.default_rng(9)
    verdicts = []
    for _ in range(100):
        rows = []
        for b in range(4):
            truth = rng.integers(1, 6, 150)
            for lab in range(4):
                noisy = np.clip(truth + rng.choice([-1, 0, 0, 0, 1], 150), 1, 5)
                rows.append(
                    pd.DataFrame(
                        {
                            "item_id": [f"{b}-{i}" for i in range(150)],
                            "labeler_id": f"l{lab}",
                            "label": noisy,
                            "batch": f"b{b}",
                        }
                    )
                )
        verdicts.append(
            run_check(
                "labeler_agreement", {"labels": pd.concat(rows, ignore_index=True)}, {"level": "ordinal", "n_boot": 200}
            ).verdict.value
        )
    null_false_fail("labeler_agreement", verdicts)


# -- rubric_drift: two periods of human and judge ratings ------------------------------------------
def _ratings(rng, n, human_shift):
    frames = []
    truth = {c: rng.normal(3.2, 0.7, n) for c in ("helpfulness", "clarity")}
    for period in ("p1", "p2"):
        for c, t in truth.items():
            shift = human_shift if (period == "p2" and c == "helpfulness") else 0.0
            for rater in ("h1", "h2", "h3"):
                frames.append(
                    pd.DataFrame(
                        {
                            "item_id": np.arange(n),
                            "criterion": c,
                            "rater_type": "human",
                            "rater_id": rater,
                            "period": period,
                            "score": t + shift + rng.normal(0, 0.5, n),
                        }
                    )
                )
            frames.append(
                pd.DataFrame(
                    {
                        "item_id": np.arange(n),
                        "criterion": c,
                        "rater_type": "judge",
                        "rater_id": "j",
                        "period": period,
                        "score": t + shift + rng.normal(0, 0.4, n),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def test_rubric_drift():
    rng = np.random.default_rng(10)
    params = {"n_boot": 300}
    null = [run_check("rubric_drift", {"ratings": _ratings(rng, 200, 0.0)}, params).verdict.value for _ in range(150)]
    null_false_fail("rubric_drift", null)
    bad = [run_check("rubric_drift", {"ratings": _ratings(rng, 200, 0.5)}, params).verdict.value for _ in range(150)]
    power_honest("rubric_drift", bad, label="rubric axis +fail_at")


# -- slice_retention on scores, from per-slice moments (paired t for every slice) ------------------
def _score_moments(rng, n, drop):
    """1-10 scores; the student matches the teacher up to symmetric noise, minus `drop` on average
    on every slice; returned as the moments a warehouse would send."""
    skill = np.array(["s1", "s2", "s3"])[rng.choice(3, n, p=(0.6, 0.3, 0.1))]
    teacher = rng.integers(1, 11, n).astype(float)
    student = teacher + rng.normal(0, 1.5, n) - drop
    d = teacher - student
    frame = pd.DataFrame({"skill": skill, "t": teacher, "s": student, "d": d, "d2": d * d})
    return (
        frame.groupby("skill")
        .agg(
            count=("d", "size"),
            teacher_sum=("t", "sum"),
            student_sum=("s", "sum"),
            diff_sum=("d", "sum"),
            diff_sumsq=("d2", "sum"),
        )
        .reset_index()
    )


def test_slice_retention_scores_from_moments():
    rng = np.random.default_rng(11)
    params = {"slice_columns": ["skill"], "metric": "score", "warn_at": 0.2, "fail_at": 0.5}
    null, hits = [], []
    for _ in range(COVERAGE_SIMS):
        r = run_check("slice_retention", {"moments": _score_moments(rng, 600, 0.0)}, params)
        null.append(r.verdict.value)
        rare = next(s for s in r.to_dict()["slices"] if s["slice"] == "skill=s3")  # ~60 pairs
        hits.append(covers(rare["metrics"]["drop"], 0.0))
    null_false_fail("slice_retention", null, label="scores from moments, null n=600")
    coverage("slice_retention", "drop of a ~60-pair slice (t from moments)", hits)
    bad = [
        run_check("slice_retention", {"moments": _score_moments(rng, 600, 0.5)}, params).verdict.value
        for _ in range(SIMS)
    ]
    power_honest("slice_retention", bad, label="scores from moments, +fail_at n=600")


# -- assignment_integrity: a covariate imbalanced by exactly smd_fail -----------------------------
def test_assignment_integrity_imbalance_at_fail_at():
    rng = np.random.default_rng(12)
    verdicts = []
    for _ in range(SIMS):
        n = 20_000  # enough for the SRM test's power (about 10,700 units), so the covariate decides
        arm = np.where(rng.random(n) < 0.5, "A", "B")
        tokens = rng.normal(300, 50, n) + np.where(arm == "B", 0.25 * 50, 0.0)  # SMD 0.25 = smd_fail
        units = pd.DataFrame({"unit_id": np.arange(n), "arm": arm, "prompt_tokens": tokens})
        verdicts.append(
            run_check("assignment_integrity", {"units": units}, {"covariates": ["prompt_tokens"]}).verdict.value
        )
    power_honest("assignment_integrity", verdicts, label="covariate SMD at smd_fail n=20000")


# -- embedding_drift: recall@10 / nDCG@10 under the old and the new embedding -----------------------
def _retrieval(rng, n_queries, recall_old, recall_new):
    """Four relevant documents per query; each lands in the top 10 with probability recall_v, so
    the expected recall@10 of version v is recall_v."""
    frames = []
    for version, q in (("old", recall_old), ("new", recall_new)):
        top = rng.permuted(np.tile(np.arange(1, 11), (n_queries, 1)), axis=1)[:, :4]
        low = rng.permuted(np.tile(np.arange(11, 21), (n_queries, 1)), axis=1)[:, :4]
        rank = np.where(rng.random((n_queries, 4)) < q, top, low)
        frames.append(
            pd.DataFrame(
                {
                    "query_id": np.repeat(np.arange(n_queries), 4),
                    "doc_id": np.tile(np.arange(4), n_queries),
                    "rank": rank.ravel(),
                    "relevant": 1,
                    "version": version,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def test_embedding_drift_retrieval():
    rng = np.random.default_rng(13)
    params = {"n_boot": 1000}
    null, hits = [], []
    for _ in range(COVERAGE_SIMS):
        r = run_check("embedding_drift", {"relevance": _retrieval(rng, 400, 0.7, 0.7)}, params)
        null.append(r.verdict.value)
        hits.append(covers(r.to_dict()["metrics"]["recall@10.drop"], 0.0))
    null_false_fail("embedding_drift", null, label="null n=400 queries")
    coverage("embedding_drift", "recall@10.drop", hits)
    bad = [
        run_check("embedding_drift", {"relevance": _retrieval(rng, 400, 0.7, 0.65)}, params).verdict.value
        for _ in range(SIMS)
    ]
    power_honest("embedding_drift", bad, label="recall -fail_at n=400 queries")


# -- labeler_agreement: labelers homogenizing by exactly fail_at ------------------------------------
def _labelers(rng, items, pull, batch, labelers=4):
    """The demo's homogenization model, vectorized: with probability `pull` the group takes a
    shared shortcut mark on an item, and where they read it their independent noise shrinks."""
    grade = rng.integers(1, 6, items)
    shortcut = rng.integers(3, 5, items)
    together = rng.random(items) < pull
    noisy = rng.random((items, labelers)) < 0.5 * (1 - pull)
    read = grade[:, None] + noisy * rng.choice([-1, 1], (items, labelers))
    marks = np.clip(np.where(together[:, None], shortcut[:, None], read), 1, 5)
    ids = [f"{batch}-{i}" for i in range(items)]
    labels = pd.DataFrame(
        {
            "item_id": np.repeat(ids, labelers),
            "labeler_id": np.tile([f"l{j}" for j in range(labelers)], items),
            "label": marks.ravel(),
            "batch": batch,
        }
    )
    return labels, pd.DataFrame({"item_id": ids, "label": grade})


def _pull_for_alpha_rise(rise):
    """The pull whose population alpha (ordinal, from the krippendorff package on 40,000 items,
    common random numbers so the search is smooth) exceeds the no-pull alpha by `rise`."""
    import krippendorff

    def alpha(pull):
        marks = _labelers(np.random.default_rng(99), 40_000, pull, "x")[0]["label"].to_numpy().reshape(-1, 4)
        return krippendorff.alpha(reliability_data=marks.T.astype(float), level_of_measurement="ordinal")

    base, lo, hi = alpha(0.0), 0.0, 1.0
    for _ in range(14):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if alpha(mid) - base < rise else (lo, mid)
    return (lo + hi) / 2


def test_labeler_agreement_homogenization_at_fail_at():
    rng = np.random.default_rng(14)
    pull = _pull_for_alpha_rise(0.10)  # fail_at: an alpha rise of 0.10
    params = {"level": "ordinal", "n_boot": 200}
    verdicts = []
    for _ in range(SIMS):
        first, last = _labelers(rng, 200, 0.0, "b0"), _labelers(rng, 200, pull, "b1")
        verdicts.append(
            run_check(
                "labeler_agreement",
                {"labels": pd.concat([first[0], last[0]]), "gold": pd.concat([first[1], last[1]])},
                params,
            ).verdict.value
        )
    power_honest("labeler_agreement", verdicts, label=f"alpha +fail_at (pull {pull:.2f}) 200 items")
    null = []
    for _ in range(SIMS):
        first, last = _labelers(rng, 400, 0.0, "b0"), _labelers(rng, 400, 0.0, "b1")
        null.append(
            run_check(
                "labeler_agreement",
                {"labels": pd.concat([first[0], last[0]]), "gold": pd.concat([first[1], last[1]])},
                params,
            ).verdict.value
        )
    null_false_fail("labeler_agreement", null, label="null 2 batches x 400 items")


# -- interval coverage where the truth is known by construction -----------------------------------
@pytest.mark.parametrize("n, true_tvd", [(2000, 0.2), (500, 0.1)])
def test_sampling_window_tvd_coverage(reference, n, true_tvd):
    """The mixture in _sample_counts moves exactly `true_tvd` of the hour-of-day mass. The TVD
    is a sum of absolute differences, so its plug-in estimate is biased upwards; the interval
    (stats/tvd_interval.py) is valid whichever strata tie, so where the other 23 hours shrink a
    little it over-covers: the band's top is 100%, its floor the 93% the basic bootstrap missed."""
    rng = np.random.default_rng(15 + n)
    params = {"dimensions": ["region", "source", "is_retry"]}
    hits = []
    for _ in range(COVERAGE_SIMS):
        r = run_check(
            "sampling_window", {"sample": _sample_counts(rng, reference, n, true_tvd), "reference": reference}, params
        )
        hits.append(covers(r.to_dict()["metrics"]["tvd[hour_of_day]"], true_tvd))
    coverage(
        "sampling_window",
        f"tvd[hour_of_day] (true {true_tvd}, n={n})",
        hits,
        low=0.93,
        high=1.0,
    )


def test_assignment_integrity_smd_coverage():
    rng = np.random.default_rng(16)
    hits = []
    for _ in range(COVERAGE_SIMS):
        n = 4000
        arm = np.where(rng.random(n) < 0.5, "A", "B")
        tokens = rng.normal(300, 50, n) + np.where(arm == "B", 0.25 * 50, 0.0)
        r = run_check(
            "assignment_integrity",
            {"units": pd.DataFrame({"unit_id": np.arange(n), "arm": arm, "prompt_tokens": tokens})},
            {"covariates": ["prompt_tokens"]},
        )
        hits.append(covers(r.to_dict()["metrics"]["smd[prompt_tokens]"], 0.25))
    coverage("assignment_integrity", "smd (true 0.25, n=4000)", hits)


def test_labeler_agreement_alpha_coverage():
    """Per-batch alpha's bootstrap interval against the population alpha (krippendorff package
    on 40,000 items of the same labelers)."""
    import krippendorff

    marks = _labelers(np.random.default_rng(98), 40_000, 0.2, "x")[0]["label"].to_numpy().reshape(-1, 4)
    truth = krippendorff.alpha(reliability_data=marks.T.astype(float), level_of_measurement="ordinal")
    rng = np.random.default_rng(17)
    hits = []
    for _ in range(COVERAGE_SIMS):
        first, last = _labelers(rng, 300, 0.2, "b0"), _labelers(rng, 300, 0.2, "b1")
        r = run_check("labeler_agreement", {"labels": pd.concat([first[0], last[0]])}, {"level": "ordinal"})
        batch = next(s for s in r.to_dict()["slices"] if s["slice"] == "batch=b0")
        hits.append(covers(batch["metrics"]["alpha"], truth))
    coverage("labeler_agreement", f"alpha of a 300-item batch (true {truth:.3f})", hits)


def test_rubric_drift_axis_coverage():
    """_ratings moves the humans (and the judge with them) by 0.5 on helpfulness: rubric axis 0.5,
    judge axis 0. At the default n_boot (2000): BCa endpoints from 300 resamples covered 0.91."""
    rng = np.random.default_rng(18)
    hits_r, hits_j = [], []
    for _ in range(COVERAGE_SIMS):
        m = run_check("rubric_drift", {"ratings": _ratings(rng, 200, 0.5)}).to_dict()["metrics"]
        hits_r.append(covers(m["rubric_axis[helpfulness]"], 0.5))
        hits_j.append(covers(m["judge_axis[helpfulness]"], 0.0))
    coverage("rubric_drift", "rubric_axis (true 0.5, 200 items)", hits_r)
    coverage("rubric_drift", "judge_axis (true 0, 200 items)", hits_j)


# -- a second, small size for the checks above simulated at one size --------------------------------
def test_small_samples_null_and_fail_at(tmp_path):
    """Small samples are where intervals lie most: each check's null and regression at fail_at
    again, at a fraction of the size above."""
    rng = np.random.default_rng(19)
    contract = tmp_path / "band.yaml"
    contract.write_text(
        "name: band\nversion: 1\nbehaviour:\n  escalation_rate:\n"
        '    escalated_when: tool == "escalate_to_human"\n    warn_at: 0.03\n    fail_at: 0.06\n'
    )

    def escalations(rate, n=300):
        return pd.DataFrame({"tool": np.where(rng.random(n) < rate, "escalate_to_human", "answer")})

    cases = {
        "output_contract": (
            lambda d: run_check(
                "output_contract",
                {"records": escalations(0.12 + d), "baseline": escalations(0.12)},
                {"contract": str(contract)},
            ),
            0.06,
            "300 records",
        ),
        "judge_drift": (
            lambda d: run_check(
                "judge_drift", {"anchors": _anchors(rng, 60, d)}, {"score_type": "interval", "n_boot": 1000}
            ),
            0.25,
            "60 anchors",
        ),
        "rubric_drift": (
            lambda d: run_check("rubric_drift", {"ratings": _ratings(rng, 60, d)}, {"n_boot": 1000}),
            0.5,
            "60 items",
        ),
        "embedding_drift": (
            lambda d: run_check("embedding_drift", {"relevance": _retrieval(rng, 100, 0.7, 0.7 - d)}, {"n_boot": 1000}),
            0.05,
            "100 queries",
        ),
    }
    for check, (run, fail_at, size) in cases.items():
        null_false_fail(check, [run(0.0).verdict.value for _ in range(SIMS)], label=f"null {size}")
        power_honest(check, [run(fail_at).verdict.value for _ in range(SIMS)], label=f"+fail_at {size}")
