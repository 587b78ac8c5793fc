"""Issue 17 calibration of the sizes embedding_drift, latency_tail (its fallbacks and histogram
inputs) and judge_drift's parse failures state, simulated through the whole check at the size
stated and with the effect it was sized for (harness.stated_power: achieved power in [0.75, 0.90]
for an 80% size):

- the neighbour-overlap loss (embedding_drift.overlap_sizing): probes drawn with a true mean
  overlap of exactly min_overlap_fail (a loss of fail_at); the pilot that could not decide is drawn
  from the same truth, the full run at the stated probes; once through the whole check at the
  default bands, once at part level (the gate's t interval on per-probe overlaps, no faiss) at
  strict bands, where the stated sizes are larger;
- the nDCG@10 drop (`settle.band_size`): from null pilots, the full run moves relevant documents
  down the top 10 so that nDCG@10 drops by exactly fail_at while recall@10 stays (nDCG is then the
  family's smallest p-value, the Holm step the size assumes);
- latency_tail, see its section below;
- parse failures (`settle.zero_failures_size`), see its section below.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy.special import stdtrit

from airflow_evalguard.checks.embedding_drift.overlap_sizing import probes_needed
from airflow_evalguard.run import run_check
from airflow_evalguard.sources.histograms import latency_histogram
from airflow_evalguard.stats.neighbors import jaccard_rows, top_k
from tests.calibration.harness import stated_power
from tests.calibration.test_calibration import _retrieval
from tests.calibration.test_power_bca import achieved
from tests.calibration.test_power_latency_srm import FAIL_AT, MAX_SIMULATED, START, WARM, _stated

pytestmark = pytest.mark.slow

ALPHA = 0.05
STATED = re.compile(r"about ([0-9][0-9,]*) [a-z][a-z -]* would settle it")
DIMENSION, CORPUS = 16, 400


# -- (1) the neighbour-overlap loss ---------------------------------------------------------------
class Neighbourhoods:
    """A fixed corpus the new model embeds as the old one did; each probe's new vector is its old
    one plus isotropic noise of an exponential scale, so that probes lose from none to most of
    their top-10 neighbours (skewed, bounded overlaps, as real upgrades give)."""

    def __init__(self, noise_scale: float) -> None:
        self.noise_scale = noise_scale
        self.corpus = np.random.default_rng(7).normal(size=(CORPUS, DIMENSION)).astype(np.float32)
        old, new = self.vectors(np.random.default_rng(99), 100_000)
        self.population = jaccard_rows(*(top_k(side, self.corpus, 10, exclude_self=False) for side in (old, new)))
        self.truth = float(self.population.mean())  # the mean overlap; min_overlap_fail is set to it

    def vectors(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        old = rng.normal(size=(n, DIMENSION))
        new = old + rng.exponential(self.noise_scale, n)[:, None] * rng.normal(size=(n, DIMENSION))
        return old.astype(np.float32), new.astype(np.float32)

    def inputs(self, rng: np.random.Generator, n: int) -> dict:
        old, new = self.vectors(rng, n)
        corpus = pd.DataFrame({"doc_id": np.arange(CORPUS), "old": list(self.corpus), "new": list(self.corpus)})
        return {"probe": pd.DataFrame({"probe_id": np.arange(n), "old": list(old), "new": list(new)}), "corpus": corpus}


def test_overlap_stated_probes_settle_a_fail_at_loss_whole_check():
    """Default bands (fail below 0.6): the truth is a mean overlap of 0.63 set as min_overlap_fail;
    the loss is unsettled only at a handful of probes (pilots of 4)."""
    world = Neighbourhoods(0.3)
    params = {"min_overlap_fail": world.truth, "min_overlap_warn": 0.8}
    code = "NEIGHBORHOOD_SHIFT_UNSETTLED"
    n, detected = achieved(
        lambda rng: run_check("embedding_drift", world.inputs(rng, 4), params),
        code,
        "",
        lambda rng, n: run_check("embedding_drift", world.inputs(rng, n), params),
        lambda result: not any(f.code == code for f in result.findings),
        sims=200,
        seed=70,
    )
    stated_power("embedding_drift", f"overlap loss at fail_at {1 - world.truth:.2f} (from 4)", n, detected)


def _t_unsettled(losses: np.ndarray, fail_at: float) -> bool:
    """The gate rule on the loss's t interval: neither excludes 0 nor ends below fail_at."""
    n = len(losses)
    half = stdtrit(n - 1, 1 - ALPHA / 2) * losses.std(ddof=1) / np.sqrt(n)
    return bool(losses.mean() - half <= 0 and losses.mean() + half >= fail_at)


@pytest.mark.parametrize("pilot_n", [10, 6])
def test_overlap_stated_probes_settle_a_fail_at_loss_part_level(pilot_n):
    """Strict bands (a true overlap of 0.89 as min_overlap_fail): per-probe overlaps drawn from the
    world's population, the check's t interval and sizing applied directly (1,000 pilots)."""
    world = Neighbourhoods(0.06)
    fail_at, losses = 1 - world.truth, 1 - world.population
    rng, sizes, detected = np.random.default_rng(71), [], []
    while len(detected) < 1000:
        pilot = rng.choice(world.population, pilot_n)
        if not _t_unsettled(1 - pilot, fail_at):
            continue
        n = probes_needed(pilot, fail_at, alpha=ALPHA, seed=0)(1).n
        if n is None:
            continue
        sizes.append(n)
        detected.append(not _t_unsettled(rng.choice(losses, n), fail_at))
    scenario = f"overlap loss at fail_at {fail_at:.2f}, part level (from {pilot_n})"
    stated_power("embedding_drift", scenario, int(np.median(sizes)), detected)


# -- (2) the nDCG@10 drop -------------------------------------------------------------------------
# _retrieval's relevant documents sit uniformly in the top 10 (mean gain 1/log2(r + 1) = 0.4543 over
# ranks 1-10) or below it; at ranks 7-10 their mean gain is 0.3096. With recall q = 0.7 and 4
# relevant documents (ideal DCG 2.5616), moving a query's documents to ranks 7-10 with probability
# BOTTOM lowers the expected nDCG@10 by 4 q BOTTOM (0.4543 - 0.3096) / 2.5616 = fail_at (0.05).
GAIN_ALL, GAIN_BOTTOM, IDEAL = 0.45431, 0.30962, 2.56160
BOTTOM = 0.05 * IDEAL / (4 * 0.7 * (GAIN_ALL - GAIN_BOTTOM))


def _ndcg_drops(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """_retrieval without a recall drop, the new version's hits of a BOTTOM share of queries moved
    to ranks 7-10 (a permutation per query, so ranks stay distinct). Rows: old then new, by query."""
    rows = _retrieval(rng, n, 0.7, 0.7)
    moved = np.concatenate([np.zeros(4 * n, bool), np.repeat(rng.random(n) < BOTTOM, 4)])
    bottom = np.tile(rng.permuted(np.tile(np.arange(7, 11), (n, 1)), axis=1).ravel(), 2)
    hit = moved & (rows["rank"].to_numpy() <= 10)
    rows.loc[hit, "rank"] = bottom[hit]
    return rows


def _stated_ndcg(result) -> int | None:
    """The queries the nDCG@10 drop's own unsettled finding states (recall@10 has its own)."""
    for finding in result.findings:
        found = STATED.search(finding.message) if finding.code == "RETRIEVAL_REGRESSION_UNSETTLED" else None
        if found and finding.message.startswith("ndcg@10"):
            return int(found.group(1).replace(",", ""))
    return None


def test_ndcg_stated_queries_detect_a_fail_at_drop():
    """From 60 queries without a drop (nDCG@10 unsettled); the full run drops nDCG@10 by fail_at."""
    rng, sizes, detected = np.random.default_rng(72), [], []
    while len(detected) < 300:
        n = _stated_ndcg(run_check("embedding_drift", {"relevance": _retrieval(rng, 60, 0.7, 0.7)}, {}))
        if n is None:
            continue  # nDCG@10 settled by this pilot
        full = run_check("embedding_drift", {"relevance": _ndcg_drops(rng, n)}, {})
        sizes.append(n)
        detected.append(
            any(f.code == "RETRIEVAL_REGRESSION" and f.message.startswith("ndcg@10") for f in full.findings)
        )
    stated_power(
        "embedding_drift", "nDCG@10 drop +fail_at 0.05, recall flat (from 60)", int(np.median(sizes)), detected
    )


# -- (4) parse failures: certain at the stated size -----------------------------------------------
def _judgments(rng: np.random.Generator, n: int, rate: float) -> dict:
    failed = rng.random(n) < rate
    scores = pd.DataFrame({"item_id": np.arange(n), "judge_model": "j", "score": 3.0, "parse_error": failed})
    return {"scores": scores}


@pytest.mark.parametrize("true_rate", [0.0, 0.02, 0.1])
def test_parse_failures_stated_judgments_settle_whatever_the_rate(true_rate):
    """From 20 judgments without failures (unsettled against parse_fail_at 0.10): the stated size is
    certain to settle (no failures: the Wilson bound clears fail_at; any: significant), so every
    whole-check run at it must settle, whatever the true rate (band: exactly 1)."""
    params = {"score_type": "interval", "pinned_judge": ["j"]}
    pilot = run_check("judge_drift", _judgments(np.random.default_rng(73), 20, 0.0), params)
    (unsettled,) = [f for f in pilot.findings if f.code == "JUDGE_PARSE_FAILURES_UNSETTLED"]
    n = int(STATED.search(unsettled.message).group(1).replace(",", ""))
    rng = np.random.default_rng(74)
    detected = [
        not any(
            f.code == "JUDGE_PARSE_FAILURES_UNSETTLED"
            for f in run_check("judge_drift", _judgments(rng, n, true_rate), params).findings
        )
        for _ in range(100)
    ]
    stated_power(
        "judge_drift",
        f"parse failures, true rate {true_rate:.0%} (from 20)",
        n,
        detected,
        nominal=0.999,
        band=(1.0, 1.0),
    )


# -- (3) latency_tail: the observed-ratio fallback and histogram inputs ----------------------------
# A fine-tune whose p99 is a true +12% over its base (half of fail_at): at 3,000 requests per
# endpoint an interval often straddles both 0 and fail_at while fail_at itself would already be
# caught with 80% power, so the size is stated for the observed ratio (stats.quantile_sizing).
LATENCY_PILOTS, LATENCY_RUNS = 30, 5  # full runs per pilot: 150 in all
FINE_TUNE = {"baseline_endpoint": "base"}


def _fine_tune(rng: np.random.Generator, n: int, ratio: float, histogram: bool) -> dict:
    endpoint = np.repeat(["base", "tuned"], n)
    latency = WARM.rvs(2 * n, random_state=rng) * np.where(endpoint == "tuned", 1 + ratio, 1.0)
    rows = pd.DataFrame(
        {"ts": START + pd.to_timedelta(np.arange(2 * n), unit="s"), "endpoint": endpoint, "latency_ms": latency}
    )
    return {"histogram": latency_histogram(rows)} if histogram else {"requests": rows}


def _latency_pilots(make, sized: str, seed: int) -> list[tuple[int, str]]:
    """LATENCY_PILOTS inconclusive pilots whose size was stated for `sized` (others are skipped)."""
    rng, pilots = np.random.default_rng(seed), []
    while len(pilots) < LATENCY_PILOTS:
        result = run_check("latency_tail", make(rng), FINE_TUNE)
        stated = _stated(result) if result.verdict.value == "INCONCLUSIVE" else None
        if stated is not None and stated[1].startswith(sized) and stated[0] <= MAX_SIMULATED:
            pilots.append(stated)
    return pilots


@pytest.mark.parametrize("histogram", [False, True], ids=["rows", "histogram"])
def test_latency_observed_ratio_fallback(histogram):
    """Sized for the observed ratio, the full runs are drawn with that ratio as the truth."""
    pilots = _latency_pilots(lambda rng: _fine_tune(rng, 3000, 0.12, histogram), "the observed p99 ratio", 80)
    rng, settled = np.random.default_rng(81), []
    for stated_n, sized_for in pilots:
        observed = float(re.search(r"ratio \(([+-][0-9]+)%", sized_for).group(1)) / 100
        for _ in range(LATENCY_RUNS):
            result = run_check("latency_tail", _fine_tune(rng, stated_n, observed, histogram), FINE_TUNE)
            settled.append(result.verdict.value != "INCONCLUSIVE")
    median = sorted(n for n, _ in pilots)[LATENCY_PILOTS // 2]
    form = "histogram" if histogram else "rows"
    stated_power("latency_tail", f"fine-tune, observed-ratio fallback ({form}; true +12%, 3,000)", median, settled)


def test_latency_histogram_ratio_at_fail_at():
    """The histogram form of test_power_latency_srm's fine-tune row: a true ratio of fail_at."""
    pilots = _latency_pilots(lambda rng: _fine_tune(rng, 1500, FAIL_AT, True), "a p99 ratio at fail_at", 82)
    rng, settled = np.random.default_rng(83), []
    for stated_n, _ in pilots:
        for _ in range(LATENCY_RUNS):
            result = run_check("latency_tail", _fine_tune(rng, stated_n, FAIL_AT, True), FINE_TUNE)
            settled.append(result.verdict.value != "INCONCLUSIVE")
    median = sorted(n for n, _ in pilots)[LATENCY_PILOTS // 2]
    stated_power("latency_tail", "fine-tune p99 at fail_at (histogram; 1,500)", median, settled)
