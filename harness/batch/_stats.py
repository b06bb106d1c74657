"""The statistics behind batch summaries and diffs: binomial intervals, pass@k, and the exact tests
that tell a real change in a pass rate from sampling noise."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from pydantic import BaseModel


def wilson_interval(passes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (no continuity correction).

    With no observations the interval is the whole of [0, 1]: nothing is known.
    """
    if n < 0 or not 0 <= passes <= n:
        raise ValueError(f"need 0 <= passes <= n, got passes={passes}, n={n}")
    if n == 0:
        return (0.0, 1.0)
    z = statistics.NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = passes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # at p = 0 (or 1) the bound is exactly 0 (or 1); the subtraction leaves rounding dust
    lo = 0.0 if passes == 0 else max(0.0, centre - half)
    hi = 1.0 if passes == n else min(1.0, centre + half)
    return (lo, hi)


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased estimator of pass@k from ``n`` samples of which ``c`` passed.

    The probability that at least one of ``k`` samples drawn without replacement from the ``n``
    passes: ``1 - C(n - c, k) / C(n, k)``, computed exactly with integers.
    """
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n, got n={n}, c={c}, k={k}")
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def fisher_exact(
    base_pass: int, base_fail: int, cand_pass: int, cand_fail: int
) -> tuple[float, float]:
    """Two-sided Fisher exact test on the 2x2 table [[base pass, fail], [candidate pass, fail]].

    Returns (odds ratio, p-value).
    """
    from scipy import stats  # seconds to import: only diffs pay for it

    result = stats.fisher_exact([[base_pass, base_fail], [cand_pass, cand_fail]])
    return float(result.statistic), float(result.pvalue)


def mcnemar_exact(base_only: int, cand_only: int) -> float:
    """Exact McNemar test: two-sided binomial test on the discordant pairs.

    ``base_only`` counts pairs where only the base sample passed, ``cand_only`` pairs where only
    the candidate did. With no discordant pair there is no evidence of a change (p = 1).
    """
    discordant = base_only + cand_only
    if discordant == 0:
        return 1.0
    from scipy import stats  # seconds to import: only diffs pay for it

    return float(stats.binomtest(base_only, discordant, 0.5).pvalue)


def mann_whitney_p(base: Sequence[float], candidate: Sequence[float]) -> float:
    """Two-sided Mann-Whitney U test: do the two samples' scores come from one distribution?"""
    from scipy import stats  # seconds to import: only diffs pay for it

    return float(stats.mannwhitneyu(base, candidate, alternative="two-sided").pvalue)


def fisher_min_p(base_n: int, cand_n: int, passes: int) -> float:
    """The smallest two-sided Fisher p-value any table with these margins can give: ``base_n``
    and ``cand_n`` samples, ``passes`` passes in all. Used to leave tests that cannot reach
    significance out of a multiple-testing family (Tarone)."""
    n = base_n + cand_n
    support = range(max(0, passes - cand_n), min(base_n, passes) + 1)
    from scipy import stats  # seconds to import: only diffs pay for it

    pmf = [float(stats.hypergeom.pmf(x, n, passes, base_n)) for x in support]
    return min(1.0, min(sum(q for q in pmf if q <= p * (1 + 1e-7)) for p in pmf))


def mcnemar_min_p(discordant: int) -> float:
    """The smallest exact McNemar p-value possible with ``discordant`` discordant pairs."""
    return min(1.0, 2 * 0.5**discordant) if discordant else 1.0


def holm(pvalues: Sequence[float | None]) -> list[float | None]:
    """Holm-Bonferroni adjusted p-values (family-wise error control); ``None`` entries stay."""
    indexed = sorted((p, i) for i, p in enumerate(pvalues) if p is not None)
    m = len(indexed)
    adjusted: list[float | None] = [None] * len(pvalues)
    running = 0.0
    for rank, (p, i) in enumerate(indexed):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


class Spread(BaseModel):
    """Location and spread of a sample of numbers (e.g. scores across samples)."""

    n: int
    mean: float | None = None
    stdev: float | None = None
    median: float | None = None
    min: float | None = None
    max: float | None = None

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            return cls(n=0)
        return cls(
            n=len(values),
            mean=statistics.fmean(values),
            stdev=statistics.stdev(values) if len(values) > 1 else 0.0,
            median=statistics.median(values),
            min=min(values),
            max=max(values),
        )
