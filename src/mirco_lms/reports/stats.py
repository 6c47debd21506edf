"""The statistics the reports use, written out so that their definitions are visible.

All functions take plain sequences of numbers and return ``None`` where a figure is not
defined (no data, or no spread), never raise on data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def stdev(values: Sequence[float]) -> float | None:
    """Sample standard deviation (divisor n − 1); None below two values."""
    if len(values) < 2:
        return None
    centre = sum(values) / len(values)
    return math.sqrt(sum((v - centre) ** 2 for v in values) / (len(values) - 1))


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` as a fraction (0–1); None when ``whole`` is 0."""
    return part / whole if whole else None


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when either variable has no spread or below two pairs.

    With ``xs`` 0/1 (item correct or not) this is the point-biserial correlation.
    """
    n = len(xs)
    if n != len(ys) or n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def hake_gain(pre_mean: float | None, post_mean: float | None) -> float | None:
    """Hake's class-average normalized gain ⟨g⟩ = (⟨post⟩ − ⟨pre⟩) / (100 − ⟨pre⟩), scores in
    percent; None when a mean is missing or ⟨pre⟩ is 100."""
    if pre_mean is None or post_mean is None or pre_mean >= 100:
        return None
    return (post_mean - pre_mean) / (100 - pre_mean)


def histogram(values: Sequence[float], bins: int = 10, top: float = 100.0) -> list[int]:
    """Counts of ``values`` (0–``top``) in ``bins`` equal bins; the last bin includes ``top``."""
    counts = [0] * bins
    for value in values:
        index = int(value / top * bins)
        counts[min(max(index, 0), bins - 1)] += 1
    return counts
