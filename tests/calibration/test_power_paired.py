"""Calibration of the sizes refusal_regression and slice_retention state (issue 17).

Each row takes a size the check itself states on a pilot evaluation (a pairs-needed figure from
INSUFFICIENT_PAIRS / UNDERPOWERED_SLICE, or a slice's `min_detectable_drop`), then runs the whole
check (`run_check`) on simulated evaluations of exactly that size with exactly the effect it was
sized for, under the check's own discordance assumption (the discordance of the pilot, raised to
the drop when smaller; the other members of the Holm family carry no effect). "Detected" is what
was sized: the member's Holm-adjusted McNemar (or paired t) p below alpha with the drop in the
regression direction. The simulated evaluations are handed over as pre-aggregated `cells` (or
`moments` for scores), the check's exact equivalent of rows (tests/sources/test_equivalence.py),
so 400 runs per row stay fast. The achieved power must fall in [0.75, 0.90].
"""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.core.sizing import SIZED_FOR
from airflow_evalguard.run import run_check
from tests.calibration.harness import stated_power

pytestmark = pytest.mark.slow
SIMS = 400  # sd of an achieved power near 0.8: 2%
ALPHA = 0.05
FAIL_AT = 0.05
NULL_SLICE_PAIRS = 400


def _stated_n(message: str) -> int:
    """The size in a finding's "about N ... would settle it (sized for ...)" sentence."""
    match = SIZED_FOR.search(message)
    assert match and match[1].startswith("about "), message
    return int(match[1].split()[1].replace(",", ""))


def _alternative(drop: float, discordance: float) -> tuple[float, float]:
    """(better, worse) rates the checks size for: discordance raised to the drop when smaller."""
    total = max(discordance, drop)
    return (total - drop) / 2, (total + drop) / 2


def _paired_cells(rng, pairs: int, better: float, worse: float, bad_rate: float) -> np.ndarray:
    """Counts of (both bad, better, worse, both ok); `bad_rate` is the baseline's rate of the bad
    outcome (a wrong answer, a harmful compliance), so both_bad = bad_rate - better. Without `rng`
    (a pilot): the expected counts, rounded."""
    rates = [bad_rate - better, better, worse, 1 - bad_rate - worse]
    return np.round(pairs * np.array(rates)).astype(int) if rng is None else rng.multinomial(pairs, rates)


def _detected(p_holm: float, drop: float) -> bool:
    return p_holm < ALPHA and drop > 0


# -- slice_retention: one slice with the effect, three null slices (a Holm family of four) --------
def _slice_cells(rng, target_pairs: int, target_rates: tuple[float, float], discordance: float) -> pd.DataFrame:
    frames = []
    for slice_name, pairs, (better, worse) in [
        ("target", target_pairs, target_rates),
        *((f"null{i}", NULL_SLICE_PAIRS, (discordance / 2, discordance / 2)) for i in range(3)),
    ]:
        counts = _paired_cells(rng, pairs, better, worse, bad_rate=0.2 if worse < 0.7 else 1 - worse)
        frames.append(
            pd.DataFrame(
                {
                    "skill": slice_name,
                    "teacher_correct": [0, 0, 1, 1],  # (wrong, wrong) (wrong, right) (right, wrong) (right, right)
                    "student_correct": [0, 1, 0, 1],
                    "count": counts,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _slice_run(cells: pd.DataFrame):
    return run_check("slice_retention", {"cells": cells}, {"slice_columns": ["skill"]})


def _target(result):
    return next(s for s in result.slices if s.slice == "skill=target")


def _pilot_discordance(cells: pd.DataFrame) -> float:
    discordant = cells["teacher_correct"] != cells["student_correct"]
    return float(cells.loc[discordant, "count"].sum() / cells["count"].sum())


def _simulate_slices(rng, pairs: int, drop: float, discordance: float) -> list[bool]:
    rates = _alternative(drop, discordance)
    detected = []
    for _ in range(SIMS):
        target = _target(_slice_run(_slice_cells(rng, pairs, rates, discordance)))
        detected.append(_detected(target.metrics["p_holm"].value, target.metrics["drop"].value))
    return detected


@pytest.mark.parametrize("discordance", [0.06, 0.20])
def test_slice_retention_stated_pairs_for_fail_at(discordance):
    rng = np.random.default_rng(int(discordance * 1000))
    pilot = _slice_cells(None, 20, (discordance / 2, discordance / 2), discordance)
    result = _slice_run(pilot)
    under = next(f for f in result.findings if f.code == "UNDERPOWERED_SLICE")
    stated = _stated_n(under.message)
    detected = _simulate_slices(rng, stated, FAIL_AT, _pilot_discordance(pilot))
    stated_power("slice_retention", f"slice pairs for +5 pts, discordance {discordance:.0%}", stated, detected)


@pytest.mark.parametrize(("pairs", "discordance"), [(20, 0.06), (50, 0.20), (200, 0.06), (1000, 0.20)])
def test_slice_retention_stated_detectable_drop(pairs, discordance):
    rng = np.random.default_rng(pairs)
    pilot = _slice_cells(None, pairs, (discordance / 2, discordance / 2), discordance)
    detectable = _target(_slice_run(pilot)).metrics["min_detectable_drop"].value
    detected = _simulate_slices(rng, pairs, detectable, _pilot_discordance(pilot))
    scenario = f"detectable drop {detectable:.1%} at n={pairs}, disc {discordance:.0%}"
    stated_power("slice_retention", scenario, pairs, detected)


# -- slice_retention on scores: the paired t of every slice, from moments -------------------------
def _score_moments(rng, target_pairs: int, drop: float, sd: float) -> pd.DataFrame:
    rows = []
    for slice_name, pairs, mean in [
        ("target", target_pairs, drop),
        *((f"null{i}", NULL_SLICE_PAIRS, 0.0) for i in range(3)),
    ]:
        differences = rng.normal(mean, sd, pairs)
        teacher = 0.7 * pairs
        rows.append(
            (slice_name, pairs, teacher, teacher - differences.sum(), differences.sum(), (differences**2).sum())
        )
    return pd.DataFrame(rows, columns=["skill", "count", "teacher_sum", "student_sum", "diff_sum", "diff_sumsq"])


def _score_run(moments: pd.DataFrame):
    return run_check("slice_retention", {"moments": moments}, {"slice_columns": ["skill"], "metric": "score"})


def _pilot_sd(moments: pd.DataFrame) -> float:
    n, total, squares = moments["count"].sum(), moments["diff_sum"].sum(), moments["diff_sumsq"].sum()
    return float(np.sqrt((squares - total * total / n) / (n - 1)))


def _simulate_scores(rng, pairs: int, drop: float, sd: float) -> list[bool]:
    detected = []
    for _ in range(SIMS):
        target = _target(_score_run(_score_moments(rng, pairs, drop, sd)))
        detected.append(_detected(target.metrics["p_holm"].value, target.metrics["drop"].value))
    return detected


def test_slice_retention_scores_stated_pairs_and_detectable_drop():
    rng = np.random.default_rng(7)
    pilot = _score_moments(np.random.default_rng(3), 20, 0.0, 0.15)
    result = _score_run(pilot)
    stated = _stated_n(next(f for f in result.findings if f.code == "UNDERPOWERED_SLICE").message)
    sd = _pilot_sd(pilot)
    stated_power(
        "slice_retention",
        f"score slice pairs for +5 pts, sd {sd:.2f}",
        stated,
        _simulate_scores(rng, stated, FAIL_AT, sd),
    )
    detectable = _target(result).metrics["min_detectable_drop"].value
    detected = _simulate_scores(rng, 20, detectable, sd)
    stated_power("slice_retention", f"score detectable drop {detectable:.3f} at n=20", 20, detected)


# -- refusal_regression: both outcomes overall (Holm family of two), categories (one family) -------
def _refusal_cells(rng, groups: list[tuple[str, str, int, tuple[float, float]]]) -> pd.DataFrame:
    """groups: (category, expected, pairs, (better, worse)); the bad behaviour is compliance on
    harmful prompts (expected refuse) and refusal on benign ones (expected comply)."""
    frames = []
    for category, expected, pairs, (better, worse) in groups:
        bad, good = ("compliance", "refusal") if expected == "refuse" else ("refusal", "compliance")
        counts = _paired_cells(rng, pairs, better, worse, bad_rate=0.1 if worse < 0.8 else 1 - worse)
        frames.append(
            pd.DataFrame(
                {
                    "category": category,
                    "expected": expected,
                    "baseline": [bad, bad, good, good],
                    "candidate": [bad, good, bad, good],
                    "count": counts,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _refusal_run(cells: pd.DataFrame):
    return run_check("refusal_regression", {"cells": cells}, {})


def _harmful_discordance(cells: pd.DataFrame) -> float:
    harmful = cells[cells["expected"] == "refuse"]
    return float(harmful.loc[harmful["baseline"] != harmful["candidate"], "count"].sum() / harmful["count"].sum())


@pytest.mark.parametrize("discordance", [0.06, 0.20])
def test_refusal_regression_stated_pairs_overall(discordance):
    rng = np.random.default_rng(int(discordance * 1000) + 1)
    null = (discordance / 2, discordance / 2)
    pilot = _refusal_cells(None, [("a", "refuse", 100, null), ("a", "comply", 100, null)])
    result = _refusal_run(pilot)
    assert result.verdict.value == "INCONCLUSIVE"
    stated = int(result.metrics["n_required.harmful"].value)
    rates = _alternative(FAIL_AT, _harmful_discordance(pilot))
    detected = []
    for _ in range(SIMS):
        run = _refusal_run(_refusal_cells(rng, [("a", "refuse", stated, rates), ("a", "comply", stated, null)]))
        m = run.metrics
        detected.append(_detected(m["mcnemar_p_holm.harmful"].value, m["harmful_compliance_rate.delta"].value))
    stated_power("refusal_regression", f"harmful pairs for +5 pts, discordance {discordance:.0%}", stated, detected)


def test_refusal_regression_stated_pairs_per_category():
    rng = np.random.default_rng(5)
    discordance = 0.10
    null = (discordance / 2, discordance / 2)
    categories = ["a", "b", "c", "d"]
    groups = [(c, e, 20, null) for c in categories for e in ("refuse", "comply")]
    pilot = _refusal_cells(None, groups)
    result = _refusal_run(pilot)
    under = next(f for f in result.findings if f.code == "UNDERPOWERED_SLICE").message
    stated = _stated_n(under.split("harmful: ", 1)[1])
    rates = _alternative(FAIL_AT, _harmful_discordance(pilot))
    detected = []
    for _ in range(SIMS):
        others = [(c, e, 100, null) for c in categories for e in ("refuse", "comply") if (c, e) != ("a", "refuse")]
        run = _refusal_run(_refusal_cells(rng, [("a", "refuse", stated, rates), *others]))
        category = next(s for s in run.slices if s.slice == "category=a")
        detected.append(
            _detected(
                category.metrics["mcnemar_p_holm.harmful"].value,
                category.metrics["harmful_compliance_rate.delta"].value,
            )
        )
    stated_power("refusal_regression", "harmful pairs per category for +5 pts (8 tests)", stated, detected)
