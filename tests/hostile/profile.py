"""Hypothesis settings of the hostile-input suite.

Derandomized under CI (a fixed, reproducible set of examples that gates a merge) and randomized
on a developer's machine (new examples every run, to find new holes). No deadline: one example
may start Great Expectations or a bootstrap; the suite's total time is bounded by the example
counts instead.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

HOSTILE = settings(
    deadline=None,
    derandomize=os.environ.get("CI", "").lower() == "true",
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
