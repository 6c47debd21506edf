"""The paired tests of the gain report against figures worked out independently.

Data set (pre-test, final): (40, 50) (50, 65) (60, 57) (70, 90) (80, 85); gains
10, 15, −3, 20, 5 (n = 5, no ties, no zero gain).
- mean gain 47 / 5 = 9.4; deviations 0.6 5.6 −12.4 10.6 −4.4; Σd² = 317.2; sd = √(317.2 / 4)
  = √79.3 = 8.90505; se = sd / √5 = 3.98246; t = 9.4 / 3.98246 = 2.36035 (df 4).
- p: for df = 4 the t distribution has the closed form
  F(t) = ½ + ¾ · u · (1 − u² / 3) with u = t / √(4 + t²); p = 2 (1 − F(|t|)) = 0.07763.
- 95 % CI: t(0.975; 4) = 2.776445 (printed tables) → 9.4 ± 11.05712 = [−1.65712, 20.45712].
- d_z = 9.4 / 8.90505 = 1.05558.
- Wilcoxon: |gains| ranked 3 4 1 5 2; the only negative gain (−3) has rank 1, so W = 1;
  exact two-sided p = 2 · #{rank subsets with sum ≤ 1} / 2⁵ = 2 · 2 / 32 = 0.125.
"""

from __future__ import annotations

import math

import pytest

from mirco_lms.reports import inference

PAIRS = [(40.0, 50.0), (50.0, 65.0), (60.0, 57.0), (70.0, 90.0), (80.0, 85.0)]


def _p_df4(t: float) -> float:
    u = abs(t) / math.sqrt(4 + t * t)
    return 2 * (1 - (0.5 + 0.75 * u * (1 - u * u / 3)))


def test_paired_tests_match_hand_figures() -> None:
    found = inference.paired(PAIRS)
    assert found.n == 5 and found.note == ""
    assert found.t == pytest.approx(2.36035, abs=1e-5)
    assert found.p_t == pytest.approx(_p_df4(2.3603492), abs=1e-6)
    assert found.p_t == pytest.approx(0.07763, abs=1e-5)
    assert found.ci_low == pytest.approx(9.4 - 2.776445 * 3.98246, abs=1e-4)
    assert found.ci_high == pytest.approx(9.4 + 2.776445 * 3.98246, abs=1e-4)
    assert found.d_z == pytest.approx(1.05558, abs=1e-5)
    assert found.wilcoxon == 1.0
    assert found.p_wilcoxon == pytest.approx(0.125)


@pytest.mark.parametrize("pairs", [[], [(40.0, 60.0)]])
def test_fewer_than_two_pairs_say_so(pairs: list[tuple[float, float]]) -> None:
    found = inference.paired(pairs)
    assert found.n == len(pairs) and found.note == inference.NOT_ENOUGH
    assert (found.t, found.p_t, found.ci_low, found.d_z, found.wilcoxon) == (None,) * 5


def test_equal_gains_leave_the_t_test_undefined_not_nan() -> None:
    # gains 20, 20, 20: sd 0, so t, CI and d_z are undefined; Wilcoxon still ranks them:
    # all three positive → W = 0, exact p = 2 · 1 / 2³ = 0.25
    found = inference.paired([(10.0, 30.0), (40.0, 60.0), (50.0, 70.0)])
    assert found.note == inference.NO_VARIANCE
    assert found.t is None and found.ci_low is None and found.d_z is None
    assert found.wilcoxon == 0.0 and found.p_wilcoxon == pytest.approx(0.25)


def test_no_change_at_all() -> None:
    found = inference.paired([(50.0, 50.0), (70.0, 70.0)])
    assert inference.NO_VARIANCE in found.note and inference.NO_CHANGE in found.note
    assert found.p_t is None and found.p_wilcoxon is None
