"""Inference on paired scores (pre-test → final test), computed by scipy.

:func:`paired` takes the learners' (pre-test, final) pairs of one group and returns the
paired t-test, the Wilcoxon signed-rank test, the 95 % confidence interval of the mean gain
and Cohen's d_z. Nothing here raises on data and no figure is ever NaN: a figure that is
not defined (fewer than two pairs, gains that do not vary, no non-zero gain) is ``None``
and :attr:`PairedTests.note` says why.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats as sps

CONFIDENCE = 0.95
NOT_ENOUGH = "not enough pairs (n < 2): no test"
NO_VARIANCE = "every pair has the same gain: t-test, CI and d_z undefined"
NO_CHANGE = "no learner's score changed: Wilcoxon test undefined"


@dataclass(frozen=True)
class PairedTests:
    """The tests of one group's pairs; ``None`` where a figure is not defined."""

    n: int
    """Pairs used (learners with both scores)."""
    t: float | None = None
    """Paired t statistic (final − pre-test), df = n − 1."""
    p_t: float | None = None
    """Two-sided p-value of the paired t-test."""
    ci_low: float | None = None
    """Lower end of the 95 % confidence interval of the mean gain (t distribution)."""
    ci_high: float | None = None
    d_z: float | None = None
    """Cohen's d_z: mean gain / sd of the gains."""
    wilcoxon: float | None = None
    """Wilcoxon signed-rank statistic as scipy gives it (the smaller rank sum; zero gains
    dropped)."""
    p_wilcoxon: float | None = None
    """Two-sided p-value of the Wilcoxon test (exact for small n without ties/zeros, else the
    normal approximation scipy chooses)."""
    note: str = ""
    """Why figures are missing, when some are; empty when all are defined."""


def _finite(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def paired(pairs: Sequence[tuple[float, float]]) -> PairedTests:
    """The paired tests of ``pairs`` (pre-test, final), scores in percent."""
    n = len(pairs)
    if n < 2:
        return PairedTests(n=n, note=NOT_ENOUGH)
    pre = [float(a) for a, _ in pairs]
    post = [float(b) for _, b in pairs]
    gains = [b - a for a, b in zip(pre, post, strict=True)]
    notes: list[str] = []
    t = p_t = low = high = d_z = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy's small-sample and precision warnings
        if len(set(gains)) > 1:
            result = sps.ttest_rel(post, pre)
            t, p_t = _finite(result.statistic), _finite(result.pvalue)
            interval = result.confidence_interval(CONFIDENCE)
            low, high = _finite(interval.low), _finite(interval.high)
            sd = sps.tstd(gains)
            d_z = _finite(sps.tmean(gains) / sd) if sd > 0 else None
        else:
            notes.append(NO_VARIANCE)
        w = p_w = None
        if any(g != 0 for g in gains):
            signed = sps.wilcoxon(post, pre, zero_method="wilcox")
            w, p_w = _finite(signed.statistic), _finite(signed.pvalue)
        else:
            notes.append(NO_CHANGE)
    return PairedTests(n=n, t=t, p_t=p_t, ci_low=low, ci_high=high, d_z=d_z,
                       wilcoxon=w, p_wilcoxon=p_w, note="; ".join(notes))
