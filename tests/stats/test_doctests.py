"""The Examples in the statistics modules' docstrings are run, so a published number quoted there
stays true."""

import doctest
import importlib
import pkgutil

import pytest

import airflow_evalguard.stats as stats_package

MODULES = sorted(info.name for info in pkgutil.iter_modules(stats_package.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"airflow_evalguard.stats.{name}")
    outcome = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert outcome.failed == 0, f"{outcome.failed} of {outcome.attempted} examples in {name} failed"
