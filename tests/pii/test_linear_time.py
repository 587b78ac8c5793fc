"""The PII scan is linear in the text, whatever the text: megabyte cells of adversarial units
(tests/pii/adversarial.py) through each detector alone and through all of them.

Python's `re` took ~39 s on a 256 KB cell of "-eyJ" and ~10 minutes on 1 MB (the JWT branch
backtracked from every "eyJ"). The bounds here are generous for a loaded machine (measured:
under 2 s per 1 MB cell on 2 busy cores) and far below anything quadratic; each detector's time
at 1 MB must also stay within a linear multiple of its time at 256 KB.
"""

from __future__ import annotations

import time

import pytest

from airflow_evalguard.pii.detectors import KINDS
from airflow_evalguard.pii.scanner import PiiScanner
from tests.pii.adversarial import DENSE, NEAR_MISS, cell

MB = 1 << 20
BOUND_S = 20.0  # per 1 MB cell; quadratic behaviour takes minutes


class _EveryDetector:
    """Stands in for the RE2 Set that gates detectors per text: every precise pattern runs."""

    def __init__(self, n: int):
        self.n = n

    def Match(self, data):  # noqa: N802 - RE2's name
        return list(range(self.n))


def _ungated(kinds) -> PiiScanner:
    scanner = PiiScanner(kinds)
    scanner.which_ascii = scanner.which_unicode = _EveryDetector(len(scanner.detectors))
    return scanner


def _timed(scanner: PiiScanner, text: str) -> tuple[float, list]:
    t0 = time.perf_counter()
    spans = scanner.find(text)
    return time.perf_counter() - t0, spans


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_each_detector_is_linear_on_its_adversarial_cells(kind):
    scanner = _ungated([kind])  # its precise patterns always run, whatever its prefilter says
    units = NEAR_MISS[kind] + DENSE[kind]
    small = big = 0.0
    for unit in units:
        t_small, _ = _timed(scanner, cell(unit, MB // 4))
        t_big, spans = _timed(scanner, cell(unit, MB))
        assert t_big < BOUND_S, f"{kind}: {unit!r} x 1 MB took {t_big:.1f} s"
        small, big = small + t_small, big + t_big
    # linear: ~4x for 4x the text (quadratic: ~16x); slack for timer noise on small totals
    assert big <= 8 * small + 1.0, f"{kind}: 1 MB {big:.2f} s vs 256 KB {small:.2f} s"


@pytest.mark.slow
@pytest.mark.parametrize("group", ["near_miss", "dense"])
def test_all_detectors_together_are_linear_on_every_adversarial_cell(group):
    families = NEAR_MISS if group == "near_miss" else DENSE
    scanner = PiiScanner()
    for kind, units in families.items():
        for unit in units:
            t, spans = _timed(scanner, cell(unit, MB))
            assert t < BOUND_S, f"{unit!r} x 1 MB took {t:.1f} s"
            if group == "dense":
                assert {k for _, _, k in spans} >= {kind}, unit  # the real matches are found
                # Every match is found up to the candidate budget; from there the rest of the cell
                # is one redacted span that runs to its end: nothing is left unread and unredacted.
                assert spans[-1][1] == MB or len(spans) >= MB // (2 * len(unit)), unit


def test_the_reported_jwt_cell_is_fast():
    """The issue's case: 256 KB of "-eyJ" took ~39 s."""
    t, spans = _timed(PiiScanner(), cell("-eyJ", MB // 4))
    assert spans == [] and t < 2.0, t


def test_a_megabyte_secret_is_found_whole():
    """Long matches are fine too: a megabyte API key is one match, redacted whole."""
    text = "key sk-" + "a1" * (MB // 2) + " end"
    spans = PiiScanner().find(text)
    assert spans == [(4, len(text) - 4, "secret")]
