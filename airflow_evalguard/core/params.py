"""The parameters every check shares, declared once.

Each check used to declare alpha, seed, n_boot, warn_at and fail_at itself, and the copies
drifted (resample minimums of 100 and 200, defaults of 1,000 and 2,000). A check now takes these
factories; where its default or floor differs, the difference is an argument, visible in one line.
"""

from __future__ import annotations

from airflow_evalguard.core.param_limits import MAX_RESAMPLES, MAX_SEED
from airflow_evalguard.core.spec import ParamSpec

ALPHA_HELP = "significance level; CIs are at 1 - alpha"


def alpha(help: str = ALPHA_HELP, *, default: float = 0.05) -> ParamSpec:
    """The family-wise false-FAIL rate of the check (Holm across its family)."""
    return ParamSpec(default, float, help, minimum=1e-6, maximum=0.5)


def seed(help: str = "seed for the bootstrap") -> ParamSpec:
    return ParamSpec(0, int, help, minimum=0, maximum=MAX_SEED)


def n_boot(help: str = "bootstrap resamples", *, default: int = 2000, minimum: int = 200) -> ParamSpec:
    return ParamSpec(default, int, help, minimum=minimum, maximum=MAX_RESAMPLES)


def n_perm(help: str = "permutations", *, default: int = 999, minimum: int = 99) -> ParamSpec:
    return ParamSpec(default, int, help, minimum=minimum, maximum=MAX_RESAMPLES)


def warn_at(default: float, help: str, *, maximum: float | None = None) -> ParamSpec:
    """The degradation (larger is worse) at which a significant effect warns."""
    return ParamSpec(default, float, help, minimum=0, maximum=maximum)


def fail_at(default: float, help: str, *, maximum: float | None = None) -> ParamSpec:
    """The degradation (larger is worse) at which a significant effect fails."""
    return ParamSpec(default, float, help, minimum=0, maximum=maximum)


def rate_bands(warn: float, fail: float, what: str) -> dict[str, ParamSpec]:
    """`warn_at` and `fail_at` for a rate or share in [0, 1] (e.g. "absolute drop")."""
    return {
        "warn_at": warn_at(warn, f"{what} that warns", maximum=1),
        "fail_at": fail_at(fail, f"{what} that fails", maximum=1),
    }


def id_column(default: str, what: str) -> ParamSpec:
    """The column that identifies a row across inputs (joined on); its default is the name the
    check used before it took one, so a table named our way needs nothing."""
    return ParamSpec(default, str, f"column that identifies {what} (the join key)", column=True)
