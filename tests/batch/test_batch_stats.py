"""The statistics against values computed independently: by hand, by enumeration, or by scipy."""

from __future__ import annotations

import itertools
import math

import pytest
from scipy import stats

from harness.batch import (
    fisher_exact,
    holm,
    mcnemar_exact,
    pass_at_k,
    wilson_interval,
)
from harness.batch._stats import Spread, fisher_min_p, mcnemar_min_p


@pytest.mark.parametrize(
    ("k", "n"), [(0, 10), (1, 10), (5, 10), (9, 10), (10, 10), (3, 7), (17, 40), (1, 1)]
)
def test_wilson_matches_scipy(k: int, n: int) -> None:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(ci.low, abs=1e-9)
    assert hi == pytest.approx(ci.high, abs=1e-9)


def test_wilson_by_hand() -> None:
    # 8 of 10, z = 1.959964: centre (0.8 + z²/20) / (1 + z²/10), half-width
    # z * sqrt(0.8 * 0.2 / 10 + z² / 400) / (1 + z²/10)
    z = 1.959963984540054
    denom = 1 + z * z / 10
    centre = (0.8 + z * z / 20) / denom
    half = z * math.sqrt(0.16 / 10 + z * z / 400) / denom
    lo, hi = wilson_interval(8, 10)
    assert (lo, hi) == pytest.approx((centre - half, centre + half))
    assert (round(lo, 4), round(hi, 4)) == (0.4902, 0.9433)


def test_wilson_edges() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and 0.27 < hi < 0.28  # the "rule of three"-like bound, not 0
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def _pass_at_k_by_enumeration(n: int, c: int, k: int) -> float:
    outcomes = [True] * c + [False] * (n - c)
    subsets = list(itertools.combinations(range(n), k))
    return sum(any(outcomes[i] for i in s) for s in subsets) / len(subsets)


@pytest.mark.parametrize(("n", "c"), [(10, 0), (10, 1), (10, 3), (10, 9), (10, 10), (6, 2), (1, 1)])
def test_pass_at_k_matches_enumeration(n: int, c: int) -> None:
    for k in range(1, n + 1):
        assert pass_at_k(n, c, k) == pytest.approx(_pass_at_k_by_enumeration(n, c, k), abs=1e-12)


def test_pass_at_k_known_values() -> None:
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3)
    # 1 - C(7,2)/C(10,2) = 1 - 21/45
    assert pass_at_k(10, 3, 2) == pytest.approx(24 / 45)
    assert pass_at_k(10, 3, 8) == 1.0  # only 7 failures: any 8 contain a pass
    assert pass_at_k(5, 0, 5) == 0.0
    with pytest.raises(ValueError):
        pass_at_k(5, 2, 6)


def test_fisher_on_known_tables() -> None:
    # the tea-tasting table: p = 34/70 (two-sided), by the hypergeometric distribution
    _, p = fisher_exact(3, 1, 1, 3)
    assert p == pytest.approx(34 / 70)
    # 9/10 against 0/10: only tables at least as extreme, both tails:
    # [C(10,9)C(10,0) + C(10,0)C(10,9)] / C(20,9)
    _, p = fisher_exact(9, 1, 0, 10)
    assert p == pytest.approx(20 / math.comb(20, 9))
    # identical tables carry no evidence
    _, p = fisher_exact(7, 3, 7, 3)
    assert p == pytest.approx(1.0)


def test_mcnemar_exact_by_hand() -> None:
    assert mcnemar_exact(8, 0) == pytest.approx(2 * 0.5**8)
    assert mcnemar_exact(0, 0) == 1.0
    # 6 vs 1 discordant: 2 * P(X <= 1), X ~ Bin(7, 1/2) = 2 * 8/128
    assert mcnemar_exact(1, 6) == pytest.approx(16 / 128)


def test_minimum_attainable_p_values() -> None:
    # brute force: the smallest Fisher p over every table with the same margins
    for base_n, cand_n, passes in [(10, 10, 9), (10, 10, 17), (5, 8, 4), (10, 10, 20)]:
        p_values = [
            fisher_exact(a, base_n - a, passes - a, cand_n - passes + a)[1]
            for a in range(max(0, passes - cand_n), min(base_n, passes) + 1)
        ]
        assert fisher_min_p(base_n, cand_n, passes) == pytest.approx(min(p_values))
    assert mcnemar_min_p(9) == pytest.approx(mcnemar_exact(9, 0))
    assert mcnemar_min_p(0) == 1.0


def test_holm_by_hand() -> None:
    # sorted 0.01, 0.02, 0.04 with m = 3: 0.03, 0.04, max(0.04, 0.04) = 0.04
    assert holm([0.04, 0.01, None, 0.02]) == pytest.approx([0.04, 0.03, None, 0.04])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])


def test_spread() -> None:
    s = Spread.of([0.5, 0.7, 0.9])
    assert (s.n, s.mean, s.min, s.max, s.median) == (3, pytest.approx(0.7), 0.5, 0.9, 0.7)
    assert s.stdev == pytest.approx(0.2)
    assert Spread.of([]).mean is None
