"""How many items would settle an unsettled gate, scaled from the interval the check actually ran.

The judge, rubric and labeler gates rest on item-bootstrap intervals and paired tests whose
standard error shrinks as 1/sqrt(items) (the bootstrap and the t interval of a mean both do; so
does Krippendorff's alpha, a ratio of item sums, to first order: Hayes & Krippendorff 2007,
Communication Methods and Measures 1(1)). The observed interval therefore gives the standard
error at the observed size, `se = half-width / z(1 - alpha/2)`, and the size at which a gate
would decide is where `se * sqrt(n_observed / n)` is small enough:

- a band effect (warn_at/fail_at), sized for a true effect of exactly fail_at: the test must show
  it with the stated power, `fail_at = (z_test + z_power) * se(n)`, where `z_test` is the
  Holm first-step quantile (`alpha / m` over the check's family of m members: the one effect
  that moved is the family's smallest p-value). The same n keeps a true effect of 0 below
  fail_at with at least that power (its interval uses the unadjusted alpha), so either truth
  settles (Cohen 1988, Statistical Power Analysis, ch. 2; Holm 1979, Scand. J. Statist. 6);
- a minimum (agreement alpha, position consistency), sized for the observed distance to it:
  below the minimum the one-sided test must show the shortfall, above it the interval's lower end
  must clear the minimum (an alpha's spread is taken at its median limit, see
  MINIMUM_PILOT_CONFIDENCE).

The observed standard error is itself an estimate from a small sample (the one that could not
decide), and scaling its point value under-sizes about half the time. The spread is therefore
taken at its upper 80% confidence limit, `se * sqrt(df / chi2_0.2(df))` with df = items - 1
(Browne 1995, Statistics in Medicine 14:1933: sizing from a pilot's upper confidence limit makes
the stated power hold in expectation over pilots).

The sentence is worded by `core.sizing.SampleSize`; `None` says no size settles it (no spread
to scale, or the effect sits exactly on the boundary).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from statistics import NormalDist

from scipy.special import chdtri

from airflow_evalguard.core.compose import UNDERPOWERED_SLICE, Composed
from airflow_evalguard.core.part import GatedEffect
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict

POWER = 0.8
CERTAIN = 0.999  # a size that settles in every run (SampleSize needs a power below 1; words read 100%)
PILOT_CONFIDENCE = 0.8  # chdtri takes the upper tail: the 20% lower point of chi2
# A minimum is sized from the alpha's bootstrap replicates, whose spread on a small pilot already
# runs above the spread the full sample shows (simulated, 40 anchors: +4% at the median, +14% in
# mean square); the 80% limit on top of it over-powered the stated size (achieved 0.905 of 600 runs,
# tests/calibration/test_power_settle.py). The median limit (Browne 1995's gamma = 0.5) lands it in
# the band.
MINIMUM_PILOT_CONFIDENCE = 0.5
_QUANTILE = NormalDist().inv_cdf
# Sizes past this are stated as "no sample size" (an effect too small for any realistic eval set).
MAX_STATED = 10_000_000


def z_test(alpha: float, family: int, *, two_sided: bool) -> float:
    """The Holm first-step critical value of a member's test in a family of `family` members."""
    level = alpha / max(family, 1)
    return _QUANTILE(1 - level / 2 if two_sided else 1 - level)


def scaled_n(
    n_observed: float, standard_error: float, distance: float, z_sum: float, confidence: float = PILOT_CONFIDENCE
) -> int | None:
    """Items at which `z_sum * se(n) = distance`, with se(n) = se * sqrt(n_observed / n); None when
    nothing can be scaled (no spread, no distance, non-finite inputs) or the size is out of reach.
    Never fewer than one more item than observed: a sample that did not settle it names more."""
    values = (n_observed, standard_error, distance, z_sum)
    if not all(math.isfinite(v) for v in values) or min(values) <= 0:
        return None
    needed = n_observed * (z_sum * standard_error * pilot_inflation(n_observed, confidence) / distance) ** 2
    if not math.isfinite(needed) or needed > MAX_STATED:
        return None
    return max(math.ceil(needed), math.floor(n_observed) + 1)


def pilot_inflation(n_observed: float, confidence: float = PILOT_CONFIDENCE) -> float:
    """sqrt(df / chi2 lower (1 - confidence) point): the upper `confidence` limit of a spread
    estimated on `n_observed` items, as a factor (Browne 1995)."""
    df = max(float(n_observed) - 1, 1.0)
    return math.sqrt(df / float(chdtri(df, confidence)))


def standard_error(ci_low: float | None, ci_high: float | None, alpha: float) -> float:
    """The standard error an interval at 1 - alpha implies (its half-width over z); NaN if open."""
    if ci_low is None or ci_high is None:
        return math.nan
    return (ci_high - ci_low) / (2 * _QUANTILE(1 - alpha / 2))


@dataclass(frozen=True)
class SizedEffect(GatedEffect):
    """A gated effect that can state the size settling it, once the family's size is known."""

    size_for: Callable[[int], SampleSize] | None = None


def sized(effect: GatedEffect, size_for: Callable[[int], SampleSize]) -> SizedEffect:
    """`effect` with its sizing rule (`size_for(family_size)`)."""
    return SizedEffect(**{f.name: getattr(effect, f.name) for f in fields(GatedEffect)}, size_for=size_for)


def band_size(
    effect_se: float,
    n_observed: float,
    fail_at: float,
    *,
    alpha: float,
    two_sided: bool,
    unit: str,
    what: str,
    method: str,
    confidence: float = PILOT_CONFIDENCE,
) -> Callable[[int], SampleSize]:
    """Sizing of a band effect: a true effect of fail_at shown with 80% power (see module doc);
    `confidence`: the limit of the pilot's spread it is sized from."""

    def size_for(family: int) -> SampleSize:
        z_sum = z_test(alpha, family, two_sided=two_sided) + _QUANTILE(POWER)
        n = scaled_n(n_observed, effect_se, fail_at, z_sum, confidence)
        return SampleSize(n, unit, f"a {fail_at:g} {what} (fail_at)", POWER, _holm(method, family))

    return size_for


def minimum_size(
    value: float,
    minimum: float,
    effect_se: float,
    n_observed: float,
    *,
    alpha: float,
    unit: str,
    what: str,
    method: str,
) -> Callable[[int], SampleSize]:
    """Sizing of a reading against its minimum, at the observed distance to it (see module doc)."""

    def size_for(family: int) -> SampleSize:
        below = value < minimum
        z_decide = _against_minimum_z(alpha, family, below)
        z_sum = z_decide + _QUANTILE(POWER)
        n = scaled_n(n_observed, effect_se, abs(minimum - value), z_sum, MINIMUM_PILOT_CONFIDENCE)
        effect = f"{what} of {value:.3f} against the minimum {minimum:g}"
        return SampleSize(n, unit, effect, POWER, _holm(method, family) if below else method)

    return size_for


def share_size(
    share: float, minimum: float, n_observed: int, *, alpha: float, unit: str, what: str, method: str
) -> Callable[[int], SampleSize]:
    """Sizing of a binomial share against its minimum, at the observed share: the one-sample
    proportion formula with the null and alternative variances apart (Fleiss, Levin & Paik 2003,
    Statistical Methods for Rates and Proportions, 3rd ed., eq. 2.5)."""

    def size_for(family: int) -> SampleSize:
        below = share < minimum
        z_decide = _against_minimum_z(alpha, family, below)
        spread_null = math.sqrt(max(minimum * (1 - minimum), 0.0))
        spread_true = math.sqrt(max(share * (1 - share), 0.0))
        distance = abs(minimum - share)
        n: int | None = None
        if distance > 0 and (spread_null > 0 or spread_true > 0):
            needed = ((z_decide * spread_null + _QUANTILE(POWER) * spread_true) / distance) ** 2
            if math.isfinite(needed) and needed <= MAX_STATED:
                n = max(math.ceil(needed), n_observed + 1)
        effect = f"{what} of {share:.0%} against the minimum {minimum:.0%}"
        return SampleSize(n, unit, effect, POWER, _holm(method, family) if below else method)

    return size_for


def two_rates_size(
    base_rate: float, fail_at: float, n_observed: int, *, alpha: float, unit: str, what: str, method: str
) -> Callable[[int], SampleSize]:
    """Sizing of a change between two independent rates, per side, for a true change of fail_at
    from the baseline rate (upwards, or downwards where the rate cannot rise that far): the
    unpooled two-proportion formula (Fleiss, Levin & Paik 2003, eq. 4.14 without continuity
    correction), whose two-sided interval is the one the gate reads (no Holm: no p-value)."""

    def size_for(_family: int) -> SampleSize:
        moved = base_rate + fail_at if base_rate + fail_at <= 1 else base_rate - fail_at
        n: int | None = None
        if fail_at > 0 and 0 <= moved <= 1 and math.isfinite(base_rate):
            spread = base_rate * (1 - base_rate) + moved * (1 - moved)
            z_sum = _QUANTILE(1 - alpha / 2) + _QUANTILE(POWER)
            needed = z_sum * z_sum * spread / (fail_at * fail_at)
            if 0 < needed <= MAX_STATED:
                n = max(math.ceil(needed), n_observed + 1)
        effect = f"a {fail_at:.1%} change of the {what} from {base_rate:.1%} (fail_at)"
        return SampleSize(n, unit, effect, POWER, method)

    return size_for


def zero_failures_size(fail_at: float, *, alpha: float, unit: str) -> Callable[[int], SampleSize]:
    """Sizing of a failure rate when none failed: the Wilson upper bound with no failures,
    z^2 / (n + z^2), falls below fail_at from n > z^2 (1 - fail_at) / fail_at (Wilson 1927, JASA 22).
    At that n the gate decides whatever the true rate: no failures put the bound below fail_at, any
    failure makes the rate significant. Settling is certain, not likely, so no 80% size exists below
    it (with no true failures the bound is deterministic); it is stated as certain (power 0.999
    reads "100%"), and tests/calibration/test_power_embed_latency.py finds it settled in every run."""

    def size_for(_family: int) -> SampleSize:
        z = _QUANTILE(1 - alpha / 2)
        n = math.floor(z * z * (1 - fail_at) / fail_at) + 1 if 0 < fail_at < 1 else None
        effect = f"no failures against the {fail_at:.0%} fail band"
        method = "certain at this size: with no failures the Wilson bound clears fail_at, any failure is significant"
        return SampleSize(n, unit, effect, CERTAIN, method)

    return size_for


def _against_minimum_z(alpha: float, family: int, below: bool) -> float:
    """The critical value a reading against its minimum is sized with: below the minimum it is a
    member of the check's Holm family (one-sided shortfall test); above it, showing that it clears
    the minimum is a two-sided interval at alpha, outside the family."""
    return z_test(alpha, family, two_sided=False) if below else _QUANTILE(1 - alpha / 2)


def _holm(method: str, family: int) -> str:
    return f"{method}, Holm over {family}" if family > 1 else method


def with_sizes(composed: Composed) -> Composed:
    """Append the settling size to every INCONCLUSIVE finding of a sized member, and name each
    unsettled slice's size in UNDERPOWERED_SLICE (the largest of its unsettled members)."""
    family = len(composed.judged)
    own: dict[Finding, str] = {}
    per_slice: dict[str, list[SampleSize]] = {}
    for item in composed.judged:
        member = item.member
        if item.verdict is not Verdict.INCONCLUSIVE or not isinstance(member, SizedEffect) or not member.size_for:
            continue
        size = member.size_for(family)
        if member.slice is not None:
            per_slice.setdefault(member.slice, []).append(size)
        code = member.unsettled_code or f"{member.code}_UNSETTLED"
        own[Finding("warn", code, member.describe(item.verdict), member.slice)] = size.words()
    findings = []
    for finding in composed.findings:
        if finding in own:
            finding = replace(finding, message=f"{finding.message}; {own[finding]}")
        elif finding.code == UNDERPOWERED_SLICE:
            stated = [f"{name}: {slice_size(per_slice.get(name, [])).words()}" for name in composed.underpowered]
            finding = replace(finding, message=f"{finding.message} (" + "; ".join(stated) + ")")
        findings.append(finding)
    return replace(composed, findings=tuple(findings))


def slice_size(sizes: list[SampleSize]) -> SampleSize:
    """What settles a slice: its largest stated size; none when one of its members has none."""
    if not sizes:
        return SampleSize(None, "items", "an effect this check does not size", POWER)
    unreachable = [size for size in sizes if size.n is None]
    if unreachable:
        return unreachable[0]
    return max(sizes, key=lambda size: size.n or 0)


def unsettled_unreported(composed: Composed) -> list[Finding]:
    """`<code>_UNSETTLED` findings, with their sizes, for INCONCLUSIVE overall members that leave
    their wording to the check (`report=False`): the composer writes no finding for them."""
    family = len(composed.judged)
    out = []
    for item in composed.judged:
        member = item.member
        if item.verdict is not Verdict.INCONCLUSIVE or member.report or member.slice is not None:
            continue
        if not isinstance(member, SizedEffect) or member.size_for is None:
            continue
        code = member.unsettled_code or f"{member.code}_UNSETTLED"
        words = member.size_for(family).words()
        out.append(Finding("warn", code, f"{member.describe(item.verdict)}; {words}"))
    return out
