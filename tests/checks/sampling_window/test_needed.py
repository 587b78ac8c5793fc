import numpy as np
from scipy.stats import binom

from airflow_evalguard.checks.sampling_window.needed import rows_needed
from tests.checks.sampling_window.strata import rows, strata


def test_rows_to_cover_a_uniform_day_by_the_binomial():
    read, params = strata(rows(list(range(24))), rows([h for h in range(24) for _ in range(10)]))
    needed = rows_needed(read, [], [0], params)
    # uniform hours: expected coverage is P(Binomial(n, 1/24) >= 5); the smallest n reaching 0.95,
    # found by the check to 2% (it says "about N rows")
    covered = [binom.sf(4, n, 1 / 24) for n in range(1, 1000)]
    smallest = 1 + int(np.argmax(np.array(covered) >= 0.95))
    assert smallest <= needed <= 1.02 * smallest and binom.sf(4, needed, 1 / 24) >= 0.95


def test_nothing_unsettled_needs_nothing_and_the_largest_need_wins():
    read, params = strata(rows(list(range(24))), rows([h for h in range(24) for _ in range(10)]))
    assert rows_needed(read, [], [], params) is None
    both = rows_needed(read, [0], [0], params)
    assert both == max(rows_needed(read, [0], [], params), rows_needed(read, [], [0], params))
