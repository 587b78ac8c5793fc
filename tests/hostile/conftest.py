"""The valid starting cases of the hostile-input suite, built once per session."""

from __future__ import annotations

import pytest

from tests.hostile.cases import build_cases


@pytest.fixture(scope="session")
def cases(tmp_path_factory):
    return build_cases(tmp_path_factory.mktemp("hostile-cases"))
