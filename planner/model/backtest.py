"""Forecast methods without a fitted model, and intervals calibrated on past errors.

A monthly series ``y`` (peak rates [msg/s], oldest first) is forecast ``h`` months ahead:

- :func:`seasonal_naive`: each month as the same month a year before ("the same month
  last year"); with less than a year of history, the last month;
- :func:`seasonal_naive_growth`: the same, times the year-on-year growth measured on the
  last months that have a year before them (up to 12), once per year ahead.

:func:`origins` lays out rolling-origin cross-validation (train on ``y[:o]``, forecast
the months after) and :func:`calibrated` turns the errors a method made there into
quantiles: errors are logs of actual over forecast, scaled by ``h ** b`` (``b`` fitted
to how they grow with the months ahead ``h``, between 0 and 1/2) so every origin's
error speaks for every horizon; the method's forecast is the median; each band is the
errors' (a conformal rank, ``ceil((m + 1) q)`` of ``m`` errors: the finite-sample
widening that holds with few origins), never narrower than a fitted model's own spread,
and the wider of the errors' and the method's own spread where the errors are too few
to give the quantile. Quantiles are therefore ordered, positive and never narrower at
longer horizons.

>>> import numpy as np
>>> seasonal_naive(np.arange(1.0, 25.0), 3).tolist()
[13.0, 14.0, 15.0]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from planner.model.arrays import FloatArray

SEASON = 12
Z80 = NormalDist().inv_cdf(0.9)
"""The standard normal's 90th percentile: half an 80 % band in standard deviations."""
GROWTH_MONTHS = 1
"""Months with a year before them needed to measure year-on-year growth."""


def seasonal_naive(y: FloatArray, h: int) -> FloatArray:
    """Month ``k`` ahead (1-based) is the month ``12 ceil(k / 12)`` before it: in a
    second year ahead, two years before, so every value repeats a month seen."""
    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    k = np.arange(1, h + 1)
    if n < SEASON:
        return np.full(h, y[-1])
    back = SEASON * np.ceil(k / SEASON).astype(np.int64)
    return np.asarray(y[n + k - 1 - back], dtype=np.float64)


def yoy_growth(y: FloatArray) -> float:
    """The last ``k`` months over the same months a year before (``k`` = up to 12 of the
    months that have a year before them, at least one), kept within 1/4 to 4; 1 otherwise."""
    n = len(y)
    k = min(SEASON, n - SEASON)
    if k < GROWTH_MONTHS:
        return 1.0
    before = float(np.mean(y[n - k - SEASON : n - SEASON]))
    if before <= 0:
        return 1.0
    return float(np.clip(np.mean(y[n - k :]) / before, 0.25, 4.0) ** (k / SEASON))


def seasonal_naive_growth(y: FloatArray, h: int) -> FloatArray:
    """:func:`seasonal_naive` times the year-on-year growth, once per year ahead."""
    k = np.arange(1, h + 1)
    return seasonal_naive(y, h) * yoy_growth(y) ** np.ceil(k / SEASON)


def origins(n: int, min_train: int, most: int = 12) -> range:
    """The last ``most`` origins ``o`` (train on ``y[:o]``) that leave ``min_train`` months
    to train on and at least one month to score."""
    return range(max(min_train, n - most), n)


def log_error(actual: FloatArray, forecast: FloatArray, floor: float) -> FloatArray:
    """``log(actual / forecast)``, both floored at ``floor`` (> 0)."""
    return np.log(np.maximum(actual, floor)) - np.log(np.maximum(forecast, floor))


def z_quantile(z: FloatArray, q: float) -> float:
    """The conformal quantile of standardised errors: the ``ceil((m + 1) q)``-th smallest
    (``floor`` below the median), clamped to the errors seen."""
    s = np.sort(z)
    m = len(s)
    return float(s[min(max(_rank(m, q), 1), m) - 1])


def reaches(m: int, q: float) -> bool:
    """Whether ``m`` errors can give quantile ``q``: its conformal rank lies within them
    (for p90, at least 9 errors; for p95, 19)."""
    return m > 0 and 1 <= _rank(m, q) <= m


def _rank(m: int, q: float) -> int:
    return math.ceil((m + 1) * q) if q >= 0.5 else math.floor((m + 1) * q)


def growth_exponent(errors: FloatArray, horizons: FloatArray) -> float:
    """How the errors' size grows with the months ahead, as ``h ** b``: the slope of the
    log mean absolute error on log ``h`` (weighted by the errors at each ``h``), kept
    within 0 (a seasonal naive's errors hardly grow within a year) and 1/2 (a random
    walk's). 1/2 with errors at fewer than two horizons."""
    seen = np.unique(horizons)
    if len(seen) < 2:
        return 0.5
    size = np.array([np.mean(np.abs(errors[horizons == k])) for k in seen])
    weight = np.array([np.sum(horizons == k) for k in seen], dtype=np.float64)
    ok = size > 0
    if ok.sum() < 2:
        return 0.5
    x, y, w = np.log(seen[ok]), np.log(size[ok]), weight[ok]
    xm, ym = np.average(x, weights=w), np.average(y, weights=w)
    slope = np.sum(w * (x - xm) * (y - ym)) / np.sum(w * (x - xm) ** 2)
    return float(np.clip(slope, 0.0, 0.5))


def calibrated(
    point: FloatArray,
    errors: FloatArray,
    horizons: Sequence[int] | npt.NDArray[np.int64],
    own_spread: FloatArray,
    quantiles: Sequence[float],
    *,
    model: bool = True,
    extra: float = 0.0,
) -> FloatArray:
    """Months x quantiles [msg/s] around ``point`` (month ``k`` ahead at ``point[k-1]``).

    ``errors`` are log errors made at ``horizons`` in rolling-origin runs; ``own_spread``
    is the method's own log half-width of its 80 % band at each month ahead (its 10th to
    90th percentile, halved). For a fitted ``model`` that spread is the floor of every
    band. A method without one (``model=False``: a naive, whose own spread is the spread
    of the very ratios its errors are) takes the errors' band alone wherever they can
    give the quantile (:func:`reaches`), and the wider of the two where they cannot.
    ``extra`` (a log half-width of an 80 % band, such as a burst ratio's spread) widens
    every band in quadrature.
    """
    h = np.arange(1, len(point) + 1, dtype=np.float64)
    e = np.asarray(errors, dtype=np.float64)
    seen_h = np.asarray(horizons, dtype=np.float64)
    b = growth_exponent(e, seen_h)
    z = e / seen_h**b
    m = len(z)
    out = np.empty((len(point), len(quantiles)))
    for j, q in enumerate(quantiles):
        sign = 1.0 if q > 0.5 else -1.0 if q < 0.5 else 0.0
        seen = abs(z_quantile(z, q)) * h**b if m and sign else np.zeros(len(h))
        scale = abs(NormalDist().inv_cdf(q)) / Z80 if sign else 0.0
        own = scale * np.asarray(own_spread, dtype=np.float64)
        half = seen if sign and not model and reaches(m, q) else np.maximum(seen, own)
        out[:, j] = point * np.exp(sign * np.hypot(half, scale * extra))
    return out
