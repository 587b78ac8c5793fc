"""Print the calibration table after the run (also under `make test`)."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    from tests.calibration.harness import ROWS

    if not ROWS:
        return
    tr = terminalreporter
    tr.section("EvalGuard calibration")
    tr.write_line(f"{'check':<22} {'scenario':<46} {'sims':>5} {'observed':>9}  requirement")
    for r in ROWS:
        mark = "ok " if r.ok else "BAD"
        tr.write_line(
            f"{r.check:<22} {r.scenario:<46} {r.sims:>5} {r.observed:>9.3f}  {r.requirement} {mark}"
            + (f"  [{r.detail}]" if r.detail else "")
        )
