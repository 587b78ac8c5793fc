"""The smallest sample size at which a property holds, for properties that hold from some size on.

Power, coverage and "the interval ends below fail_at" all grow with n, so the sizes the checks
state are found the same way: double from a first guess until the property holds, then bisect
the bracket (the last size that fell short, the first that held).
"""

from __future__ import annotations

from collections.abc import Callable


def smallest_reaching(
    reaches: Callable[[int], bool], *, start: int, limit: int, below: int = 0, coarse_share: int | None = None
) -> int | None:
    """Smallest n in (`below`, `limit`] with `reaches(n)`, for a `reaches` monotone in n; None when
    even `limit` falls short. `start` is the first size tried (a formula's guess saves doublings);
    `below` a size known to fall short. `coarse_share=50` stops the bisection once the bracket is
    within 1/50 of its lower end, enough for "about N rows" when each evaluation is a simulation.

    >>> smallest_reaching(lambda n: n * n >= 1000, start=1, limit=10**6)
    32
    >>> smallest_reaching(lambda n: False, start=1, limit=100) is None
    True
    """
    if start < 1 or limit < 1:
        raise ValueError(f"start and limit must be positive, got start={start}, limit={limit}")
    low, high = below, min(start, limit)
    while not reaches(high):
        if high >= limit:
            return None
        low, high = high, min(2 * high, limit)
    while high - low > max(1, low // coarse_share if coarse_share else 1):
        middle = (low + high) // 2
        if reaches(middle):
            high = middle
        else:
            low = middle
    return high
