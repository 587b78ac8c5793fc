"""stats.mcnemar_power against a brute-force oracle (every paired 2x2 table, statsmodels' McNemar),
the published McNemar powers in the statistics notes, and Connor (1987) where it is asymptotic."""

import math

import numpy as np
import pytest
from scipy.stats import multinomial, norm
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

from airflow_evalguard.stats.mcnemar_power import (
    MAX_PAIRS,
    PairedAlternative,
    mcnemar_power,
    min_detectable_drop,
    pairs_needed,
    rejection_floor,
)
from tests.stats import mcnemar_oracle


def oracle_power(pairs, worse_rate, better_rate, level):
    """Sum the multinomial probability of every (concordant, better, worse) table that statsmodels'
    McNemar, as the checks call it (exact below 25 discordant, else chi-square with continuity
    correction), rejects at two-sided `level` with more pairs worse than better."""
    total = 0.0
    for worse in range(pairs + 1):
        for better in range(min(worse, pairs - worse + 1)):
            discordant = worse + better
            table = [[0, better], [worse, 0]]
            p = sm_mcnemar(table, exact=discordant < 25, correction=True).pvalue
            if p < level:
                cells = [pairs - discordant, better, worse]
                total += multinomial.pmf(cells, pairs, [1 - worse_rate - better_rate, better_rate, worse_rate])
    return total


@pytest.mark.parametrize(
    ("pairs", "worse_rate", "better_rate", "level"),
    [
        (20, 0.117, 0.0, 0.05),
        (20, 0.30, 0.05, 0.05),
        (37, 0.45, 0.25, 0.05),
        (48, 0.40, 0.20, 0.01),
        (30, 0.2, 0.1, 0.001),
        (120, 0.12, 0.05, 0.05),
    ],
)
def test_exact_power_is_the_sum_over_every_table_the_test_rejects(pairs, worse_rate, better_rate, level):
    expected = oracle_power(pairs, worse_rate, better_rate, level)
    assert mcnemar_power(pairs, worse_rate=worse_rate, better_rate=better_rate, level=level) == pytest.approx(
        expected, abs=1e-12
    )


@pytest.mark.parametrize(("pairs", "worse_rate", "better_rate"), [(20, 0.3, 0.05), (48, 0.4, 0.2), (36, 0.2, 0.0)])
def test_the_numpy_oracle_used_by_the_check_tests_agrees_with_the_statsmodels_one(pairs, worse_rate, better_rate):
    expected = oracle_power(pairs, worse_rate, better_rate, 0.05)
    assert mcnemar_oracle.table_power(pairs, worse_rate, better_rate, 0.05) == pytest.approx(expected, abs=1e-12)


def test_rejection_floor_is_the_first_worse_count_statsmodels_rejects():
    counts = np.arange(0, 120)  # both sides of the switch at 25
    for level in (0.05, 0.001):
        floors = rejection_floor(counts, level)
        for count, floor in zip(counts, floors, strict=True):
            rejected = [
                w
                for w in range(count // 2 + 1, count + 1)
                if sm_mcnemar([[0, count - w], [w, 0]], exact=count < 25, correction=True).pvalue < level
            ]
            assert floor == (rejected[0] if rejected else count + 1)
            assert rejected == list(range(floor, count + 1))  # every larger worse count rejects too


@pytest.mark.parametrize(
    ("pairs", "better_rate", "worse_rate", "published"),
    [(100, 0.02, 0.08, 0.37), (250, 0.02, 0.06, 0.55), (500, 0.02, 0.05, 0.66)],
)
def test_published_mcnemar_powers(pairs, better_rate, worse_rate, published):
    # /work/shared/notes/statistics.md: McNemar power, two-sided alpha 0.05, to two digits
    power = mcnemar_power(pairs, worse_rate=worse_rate, better_rate=better_rate, level=0.05)
    assert power == pytest.approx(published, abs=0.011)


def connor_pairs(drop, discordance, level, power=0.8):
    """Connor (1987) at a two-sided level, written out independently of the package."""
    root = norm.isf(level / 2) * math.sqrt(discordance) + norm.ppf(power) * math.sqrt(discordance - drop**2)
    return root**2 / drop**2


@pytest.mark.parametrize(("drop", "discordance"), [(0.02, 0.10), (0.05, 0.30), (0.01, 0.05)])
def test_large_sizes_agree_with_connor_where_it_is_asymptotic(drop, discordance):
    # thousands of pairs, hundreds of discordant: the chi-square regime where Connor holds. The
    # check's test carries a continuity correction Connor's formula does not, so it needs a few
    # more pairs (about 2 / drop), never fewer
    needed = pairs_needed(drop, discordance=discordance, level=0.05)
    connor = connor_pairs(drop, discordance, 0.05)
    assert connor <= needed <= 1.05 * connor


def test_the_issue_slice_connors_detectable_drop_has_almost_no_power():
    # 20 pairs, overall discordance 4.9%: Connor's one-sided 11.7% is all-worse with psi raised
    alternative = PairedAlternative.for_drop(0.117, 0.049)
    power = mcnemar_power(20, worse_rate=alternative.worse_rate, better_rate=alternative.better_rate, level=0.05)
    assert power == pytest.approx(oracle_power(20, 0.117, 0.0, 0.05), abs=1e-12)
    assert power < 0.05  # one-sided at 0.05 it would be the issue's 7.6%
    assert mcnemar_power(20, worse_rate=0.117, better_rate=0.0, level=0.10) == pytest.approx(0.0758, abs=5e-4)


@pytest.mark.parametrize(
    ("drop", "discordance", "level"), [(0.30, 0.05, 0.05), (0.20, 0.30, 0.01), (0.08, 0.10, 0.05), (0.05, 0.0, 0.0025)]
)
def test_pairs_needed_is_where_power_reaches_and_stays_at_eighty_percent(drop, discordance, level):
    needed = pairs_needed(drop, discordance=discordance, level=level)
    alternative = PairedAlternative.for_drop(drop, discordance)
    rates = {"worse_rate": alternative.worse_rate, "better_rate": alternative.better_rate, "level": level}
    if needed <= 60:  # small enough to enumerate
        assert oracle_power(needed, **rates) >= 0.8 > oracle_power(needed - 1, **rates)
    after = [mcnemar_power(n, **rates) for n in range(needed, needed + max(10, needed // 4) + 1)]
    assert min(after) >= 0.8 and mcnemar_power(needed - 1, **rates) < 0.8


@pytest.mark.parametrize(("pairs", "discordance", "level"), [(20, 0.049, 0.05), (45, 0.2, 0.05), (30, 0.1, 0.002)])
def test_min_detectable_drop_is_the_smallest_drop_with_eighty_percent_power(pairs, discordance, level):
    drop = min_detectable_drop(pairs, discordance=discordance, level=level)

    def power(d):
        alternative = PairedAlternative.for_drop(d, discordance)
        return oracle_power(pairs, alternative.worse_rate, alternative.better_rate, level)

    assert power(drop) >= 0.8 > power(drop - 1e-5)


def test_no_size_or_drop_when_none_reaches_the_target():
    assert pairs_needed(0.0, discordance=0.1, level=0.05) is None
    assert pairs_needed(-0.05, discordance=0.1, level=0.05) is None
    assert pairs_needed(1.5, discordance=0.1, level=0.05) is None
    assert pairs_needed(float("nan"), discordance=0.1, level=0.05) is None
    assert pairs_needed(0.05, discordance=float("nan"), level=0.05) is None
    assert pairs_needed(0.05, discordance=float("inf"), level=0.05) is None
    assert pairs_needed(0.05, discordance=0.1, level=0.0) is None
    # a 3-pair slice cannot detect even a total loss: 2 * 0.5**3 = 0.25 is never below 0.05
    assert min_detectable_drop(3, discordance=0.1, level=0.05) is None
    assert min_detectable_drop(0, discordance=0.1, level=0.05) is None
    assert min_detectable_drop(50, discordance=float("nan"), level=0.05) is None


def test_sizes_beyond_the_cap_are_not_stated():
    assert pairs_needed(1e-5, discordance=1.0, level=0.05) is None  # Connor: about 8e10 pairs
    assert connor_pairs(1e-5, 1.0, 0.05) > MAX_PAIRS


def test_power_and_sizes_are_monotone_in_the_effect():
    sizes = [pairs_needed(d, discordance=0.1, level=0.05) for d in (0.02, 0.04, 0.08)]
    assert sizes[0] > sizes[1] > sizes[2]
    drops = [min_detectable_drop(n, discordance=0.1, level=0.05) for n in (50, 200, 800)]
    assert drops[0] > drops[1] > drops[2]


def test_stated_pairs_reach_eighty_percent_in_a_simulation_of_statsmodels_mcnemar():
    # discordance 10% with 2% better / 8% worse (a 6-point drop): simulate the stated size
    needed = pairs_needed(0.06, discordance=0.10, level=0.05)
    rng = np.random.default_rng(0)
    cells = rng.multinomial(needed, [0.02, 0.08, 0.90], size=4000)
    rejected = [
        worse > better
        and sm_mcnemar([[0, better], [worse, 0]], exact=better + worse < 25, correction=True).pvalue < 0.05
        for better, worse, _ in cells
    ]
    exact = mcnemar_power(needed, worse_rate=0.08, better_rate=0.02, level=0.05)
    assert np.mean(rejected) == pytest.approx(exact, abs=3 * np.sqrt(0.8 * 0.2 / 4000))
    assert 0.8 <= exact < 0.82
