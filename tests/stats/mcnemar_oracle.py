"""An independent oracle for McNemar power: every paired 2x2 table enumerated with numpy, each
tested with scipy's binomial tail (exact, below 25 discordant pairs) or scipy's chi-square with
continuity correction, weighted by its multinomial probability. It shares no code with
airflow_evalguard.stats.mcnemar_power; test_mcnemar_power checks it against statsmodels' mcnemar."""

import numpy as np
from scipy.special import gammaln
from scipy.stats import binom, chi2

EXACT_BELOW = 25  # statistics.md: exact binomial when the discordant pairs are fewer than 25


def table_power(pairs, worse_rate, better_rate, level):
    """P(two-sided McNemar p < level and more pairs worse than better) with `pairs` pairs."""
    worse, better = np.meshgrid(np.arange(pairs + 1), np.arange(pairs + 1), indexing="ij")
    possible = worse + better <= pairs
    worse, better = worse[possible], better[possible]
    discordant = worse + better
    with np.errstate(divide="ignore", invalid="ignore"):
        exact = np.minimum(1.0, 2 * binom.cdf(np.minimum(worse, better), discordant, 0.5))
        chi_square = chi2.sf((np.abs(worse - better) - 1.0) ** 2 / discordant, 1)
    p = np.where(discordant < EXACT_BELOW, exact, chi_square)
    rejected = (worse > better) & (p < level)
    concordant = pairs - discordant
    log_probability = (
        gammaln(pairs + 1)
        - gammaln(worse + 1)
        - gammaln(better + 1)
        - gammaln(concordant + 1)
        + _xlogy(worse, worse_rate)
        + _xlogy(better, better_rate)
        + _xlogy(concordant, 1 - worse_rate - better_rate)
    )
    return float(np.exp(log_probability[rejected]).sum())


def _xlogy(count, rate):
    return np.where(count > 0, count * np.log(rate if rate > 0 else 1e-300), 0.0)


def alternative(drop, discordance):
    """(worse, better) rates of the checks' assumption: discordance raised to the drop if smaller."""
    total = max(discordance, drop)
    return (total + drop) / 2, (total - drop) / 2


def crosses_eighty_percent_at(pairs, drop, discordance, level):
    """True when `pairs` reaches 80% power and one pair fewer does not."""
    worse, better = alternative(drop, discordance)
    return table_power(pairs, worse, better, level) >= 0.8 > table_power(pairs - 1, worse, better, level)
