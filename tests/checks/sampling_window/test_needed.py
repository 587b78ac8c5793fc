from airflow_evalguard.checks.sampling_window.needed import rows_needed
from airflow_evalguard.core.sizing import SIZED_FOR
from airflow_evalguard.stats.coverage import n_to_bound_tvd, n_to_cover
from tests.checks.sampling_window.strata import rows, strata
from tests.stats.test_coverage import _exact_p_at_most_one_thin


def test_rows_to_cover_a_uniform_day_reach_95_percent_coverage_in_80_percent_of_samples():
    read, params = strata(rows(list(range(24))), rows([h for h in range(24) for _ in range(10)]))
    size = rows_needed(read, [], [0], params)
    # uniform hours: 95% coverage = at most one hour under 5 rows, counted exactly
    assert 0.78 <= _exact_p_at_most_one_thin(size.n, 24, 5) <= 0.84
    assert size.unit == "sample rows" and size.power == 0.8
    assert "95% of traffic in strata of 5+ rows on hour_of_day" in size.effect
    assert SIZED_FOR.search(size.words())


def test_nothing_unsettled_needs_nothing_and_the_largest_need_wins():
    read, params = strata(rows(list(range(24))), rows([h for h in range(24) for _ in range(10)]))
    assert rows_needed(read, [], [], params) is None
    both = rows_needed(read, [0], [0], params)
    mix, cover = rows_needed(read, [0], [], params), rows_needed(read, [], [0], params)
    assert both.n == max(mix.n, cover.n)
    reference = read.reference_margins[0]
    assert mix.n == n_to_bound_tvd(reference, params["fail_at"], params["alpha"], seed=params["seed"])
    assert cover.n == n_to_cover(reference, 5, params["min_coverage"], seed=params["seed"])
    assert f"TVD interval ending below fail_at {params['fail_at']:g} on hour_of_day" in both.effect


def test_a_dimension_no_size_settles_makes_the_whole_result_unsettleable():
    # a 20-row reference: its own noise keeps every TVD interval above a 0.05 fail_at
    read, params = strata(rows(list(range(24))), rows([h % 24 for h in range(20)]))
    params = {**params, "fail_at": 0.05, "warn_at": 0.02}
    size = rows_needed(read, [0], [], params)
    assert size.n is None and size.words().startswith("no sample size would settle it")
