"""How the p99 of all requests and the p99 of a subset of them (the warm requests) move together:
the correlation the cold-start-tax sizing (`quantile_sizing.Comparison`) needs, since both order
statistics are read from the same requests."""

from __future__ import annotations

import math
from collections.abc import Callable

from airflow_evalguard.stats.quantile_sizing import Correlation


def subset_correlation(warm_cdf: Callable[[float], float], warm_share: float) -> Correlation:
    """Correlation of an order statistic of all requests (level p_all, value x_all) with one of a
    subset, the warm requests (level p_warm, value x_warm), by Bahadur's representation: both
    move with the warm empirical CDF, Cov = (F_w(min x) - F_w(x_all) p_warm) / n, so
    rho = (F_w(min x) - F_w(x_all) p_warm) sqrt(n_warm / n) / sqrt(p_all(1 - p_all) p_warm(1 - p_warm)).
    `warm_cdf(x)` is the warm sample's CDF at latency x; `warm_share` = n_warm / n."""

    def correlation(level_all: float, log_all: float, level_warm: float, log_warm: float) -> float:
        spread = level_all * (1 - level_all) * level_warm * (1 - level_warm)
        if spread <= 0:
            return 0.0
        below_all = warm_cdf(math.exp(log_all))
        covariance = warm_cdf(math.exp(min(log_all, log_warm))) - below_all * level_warm
        return min(max(covariance * math.sqrt(warm_share / spread), 0.0), 0.99)

    return correlation
