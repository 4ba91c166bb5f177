"""Forecasts of monthly peak rates from the account's send history, with their spread.

:func:`forecast` reads the history (:mod:`planner.files.history`), takes each calendar
month's peak rate (:mod:`planner.model.peaks`) and chooses a method on the complete
months themselves by rolling-origin cross-validation (:data:`METHODS`: the seasonal
naive, the seasonal naive scaled by year-on-year growth, damped-trend exponential
smoothing, and seasonal smoothing only where two full years can be trained on; under 13
months the last month repeated). Every candidate is scored on the same origins and
months; the least mean absolute log error wins. Its quantiles come from the errors it
made there (:func:`planner.model.backtest.calibrated`), never narrower than a smoothing
model's own spread (a naive method's stands in where its errors are too few), so they
are ordered, positive and wider further ahead. A month partly seen is floored at the
peak it showed.

Partial months are shown but not fitted; a gap of months between complete ones is an
error naming the missing months. Smoothing models are simulated from a fixed seed, so a
run repeats exactly. statsmodels (ETSModel) is imported here only: its state-space ETS
gives damped trends, multiplicative errors and simulated paths that we would otherwise
write and validate ourselves.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from planner.errors import InputError
from planner.files.forecasts import quantile_column
from planner.files.history import SendHistory, read_history
from planner.files.tables import PathLike
from planner.model import backtest, limits
from planner.model.backtest import calibrated
from planner.model.checks import as_date
from planner.model.peaks import MINUTE, MonthlyPeaks, monthly_peaks
from planner.words import plural

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_QUANTILES = (0.1, 0.5, 0.9)
LEAST_RATE = 0.01
"""msg/s: the least a forecast's quantile may be, the least its CSV shows, so that
``ipcost schedule`` takes every forecast ipcost writes."""
RATE_DIGITS = 2
"""Decimals of a rate [msg/s] wherever a forecast shows or writes one: the frame, the CSV
``ipcost schedule`` reads, the JSON and the text all carry one rounding of one value, so
a plan from the file is the plan from the result."""
SEED = 20_260_721
REPETITIONS = 4_000


@dataclass(frozen=True)
class Backtest:
    """How the chosen method did from past origins of the user's own history."""

    method: str
    origins: int
    error_by_horizon: tuple[float, ...]
    """Mean absolute log error (about the relative error) 1, 2, ... months ahead."""
    naive_by_horizon: tuple[float, ...]
    """The seasonal naive's, on the same origins and months (empty without a year)."""
    ratio_to_naive: float | None
    """The chosen method's error over the seasonal naive's, over all horizons."""
    coverage: float | None
    """Share of outcomes inside p10-p90, each origin judged by a band made as the
    forecast's is, from the other origins' errors (:func:`_judged`)."""
    scores: Mapping[str, float]
    """Each candidate's mean absolute log error, on the same origins and months."""
    reason: str = ""
    """Why the method was chosen over the others, in words."""
    outcomes: int = 0
    """How many past outcomes :attr:`coverage` is the share of."""
    errors: tuple[Any, Any] = ((), ())
    """The chosen method's log errors and their horizons, which calibrate its bands."""
    runs: Any = None
    """The chosen method's :class:`Runs`: each origin's forecasts, for the backtest's picture."""

    def to_frame(self) -> pd.DataFrame:
        """One row per month ahead: the chosen method's mean absolute log error, the
        seasonal naive's on the same origins and months, and their ratio."""
        import pandas as pd

        naive = list(self.naive_by_horizon) + [None] * (len(self.error_by_horizon)
                                                        - len(self.naive_by_horizon))  # fmt: skip
        return pd.DataFrame({
            "months_ahead": np.arange(1, len(self.error_by_horizon) + 1),
            "error": self.error_by_horizon,
            "seasonal_naive_error": naive,
            "ratio": [None if n in (None, 0) else e / n
                      for e, n in zip(self.error_by_horizon, naive, strict=True)],
        })  # fmt: skip

    def why(self) -> str:
        """The choice in words, with every candidate's error."""
        ranked = ", ".join(f"{k} {v:.3f}" for k, v in sorted(self.scores.items(),
                                                               key=lambda kv: kv[1]))  # fmt: skip
        outcomes = plural(len(self.errors[0]), "past outcome")
        return (f"{self.reason}; mean absolute log error over {'all ' * (len(self.errors[0]) > 1)}{outcomes} from "
                f"{plural(self.origins, 'origin')} of this history: {ranked}")  # fmt: skip

    def judged(self) -> str:
        """The share of past outcomes inside p10-p90, with how much it can say."""
        if self.coverage is None:
            return ("a single past origin: no other origin's errors to judge its band by"
                    if self.origins == 1 else "no past outcome to judge the bands by")  # fmt: skip
        few = ("; too few to judge the bands by" if self.outcomes < FEW_OUTCOMES
               else "")  # fmt: skip
        return (f"{self.coverage:.0%} of {plural(self.outcomes, 'past outcome')} inside "
                f"p10-p90 (80% is "
                f"the aim; each past origin judged by a band made as this one is, from the "
                f"errors of the others{few})")  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method, "origins": self.origins,
            "error_by_horizon": [round(v, 6) for v in self.error_by_horizon],
            "seasonal_naive_by_horizon": [round(v, 6) for v in self.naive_by_horizon],
            "ratio_to_seasonal_naive": None if self.ratio_to_naive is None else round(
                self.ratio_to_naive, 6),
            "coverage_p10_p90": None if self.coverage is None else round(self.coverage, 6),
            "outcomes": self.outcomes,
            "scores": {k: round(v, 6) for k, v in self.scores.items()},
        }  # fmt: skip


@dataclass(frozen=True)
class Forecast:
    """The result of :func:`forecast` for one Region and pool."""

    region: str
    pool: str
    history: MonthlyPeaks
    fitted_months: npt.NDArray[Any]  # datetime64[M], the complete months fitted
    fitted: npt.NDArray[np.float64]
    """The model's one-step fitted peak for each fitted month [msg/s]."""
    model: str
    aic: float | None
    """The fitted model's AIC; ``None`` for a method with no fitted model."""
    months: npt.NDArray[Any]  # datetime64[M], the months forecast
    quantiles: tuple[float, ...]
    values: npt.NDArray[np.float64]
    """Months x quantiles [msg/s]."""
    warnings: tuple[str, ...] = ()
    method: str = ""
    backtest: Backtest | None = None
    bands: str = ""
    """Where the p10-p90 band comes from, in words."""

    def column(self, q: float) -> npt.NDArray[np.float64]:
        return self.values[:, self.quantiles.index(q)]

    def to_frame(self) -> pd.DataFrame:
        """The forecast CSV's rows: ``month, region, pool, peak_rate`` (the median) and a
        column per quantile (``p10``, ``p50``, ``p90``, ...), as ``ipcost schedule`` reads;
        then the ``method``, the complete months it was chosen on (``history_months``) and
        the share of past outcomes inside p10-p90 (``backtest_coverage``)."""
        import pandas as pd

        frame = pd.DataFrame({"month": [str(m) for m in self.months], "region": self.region,
                              "pool": self.pool,
                              "peak_rate": _rates(self.column(0.5))})  # fmt: skip
        for i, q in enumerate(self.quantiles):
            frame[quantile_column(q)] = _rates(self.values[:, i])
        frame["method"] = self.method
        frame["history_months"] = int((~self.history.partial).sum())
        coverage = None if self.backtest is None else self.backtest.coverage
        frame["backtest_coverage"] = None if coverage is None else round(coverage, 4)
        return frame

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost forecast --format json``."""
        h = self.history
        bursts = [{"period": b.period, "finest": b.finest, "ratio": round(b.ratio, 6),
                   "months": list(b.months), "spread": round(b.spread, 6), "given": b.given}
                  for b in h.bursts]  # fmt: skip
        return {
            "region": self.region,
            "pool": self.pool,
            "history": [
                {
                    "month": str(m),
                    "peak_rate": round(float(r), RATE_DIGITS),
                    "period": int(p),
                    "share": round(float(s), 4),
                    "partial": bool(x),
                }
                for m, r, p, s, x in zip(
                    h.month, h.peak_rate, h.period, h.share, h.partial, strict=True
                )
            ],
            "burst_ratio": bursts,
            "model": {
                "name": self.model,
                "method": self.method,
                "why": None if self.backtest is None else self.backtest.why(),
                "bands": self.bands,
                "aic": None if self.aic is None else round(self.aic, 4),
                "fitted": [
                    {"month": str(m), "peak_rate": round(float(v), RATE_DIGITS)}
                    for m, v in zip(self.fitted_months, self.fitted, strict=True)
                ],
            },
            "forecast": [
                {
                    "month": str(m),
                    **{
                        quantile_column(q): round(float(v), RATE_DIGITS)
                        for q, v in zip(self.quantiles, row, strict=True)
                    },
                }
                for m, row in zip(self.months, self.values, strict=True)
            ],
            "backtest": None if self.backtest is None else self.backtest.to_dict(),
            "warnings": list(self.warnings),
        }


def forecast(
    history: Sequence[PathLike] | SendHistory,
    *,
    region: str = "us-east-1",
    pool: str = "default",
    months: int = 12,
    quantiles: Sequence[float] = (),
    burst: float | None = None,
    min_share: float = 0.9,
    period: int | None = None,
    today: dt.date | str | None = None,
) -> Forecast:
    """Monthly peak rates ahead, as quantiles, from the account's send history.

    The method is chosen on the history itself by rolling-origin cross-validation
    (:data:`METHODS`); its quantiles come from the errors it made there
    (:func:`planner.model.backtest.calibrated`), never narrower than a smoothing model's
    own spread. A month already partly seen is floored at the peak it showed. Without
    1-minute data (and without ``burst``) hourly or daily buckets are refused: their
    peaks are averages over the bucket, well below the peak second.
    """
    if not 1 <= int(months) <= limits.MAX_MONTHS:
        raise InputError("months", months, f"expected 1 to {limits.MAX_MONTHS} months")
    asked = _quantiles(quantiles)
    day = None if today is None else as_date("today", today)
    read = history if isinstance(history, SendHistory) else read_history(
        history, period=period, today=day)  # fmt: skip
    finest = int(np.min(read.period)) if len(read.period) else 0
    if burst is None and finest > MINUTE:
        raise InputError("history", f"finest buckets of {finest:,} s", "a bucket's average is "
                         "not its peak second; add the 1-minute Send Sum of the last 15 days "
                         "(aws cloudwatch get-metric-data with Period 60), or give --burst "
                         "RATIO (the peak-to-mean ratio of 1-minute over these buckets)")  # fmt: skip
    peaks = monthly_peaks(read.start, read.period, read.sent, burst=burst, min_share=min_share)
    used = _complete_run(peaks)
    y = peaks.peak_rate[used]
    if not np.any(y > 0):
        raise InputError("history", "all zeros", "expected some sends in the complete months")
    h = int(months)
    chosen, scored = _choose(y)
    point, own, fitted_months, fitted, aic = chosen.run(y, h, peaks.month[used])
    floor = _floor(y)
    errors, horizons = scored.errors
    # A peak read through a burst ratio is as uncertain as that ratio: its day-to-day
    # spread widens every band, in quadrature.
    burst_spread = max((b.spread for b in peaks.bursts), default=0.0) * backtest.Z80
    scored = _judged(scored, chosen, y, peaks.month[used], burst_spread)
    values = np.maximum(calibrated(np.maximum(point, floor), errors, horizons, own, asked,
                                   model=chosen.fitted, extra=burst_spread), floor)  # fmt: skip
    start = peaks.month[used][-1] + 1
    seen = _seen(peaks, start)
    if seen is not None:  # the partly seen month is at least what it already showed
        values[0] = np.maximum(values[0], seen)
    return Forecast(
        region=region, pool=pool, history=peaks, fitted_months=fitted_months, fitted=fitted,
        model=chosen.describe(len(y)), aic=aic, months=start + np.arange(h), quantiles=asked,
        values=np.maximum.accumulate(values, axis=1), warnings=read.warnings,
        method=chosen.name, backtest=scored, bands=_bands(chosen, len(errors), asked),
    )  # fmt: skip


def _bands(method: Method, m: int, asked: Sequence[float]) -> str:
    """Where the bands come from (:func:`planner.model.backtest.calibrated`), in words."""
    errors = f"its {plural(m, 'past error')}" if m else "no past errors"
    if method.fitted:
        return f"{errors}, never narrower than the model's own simulated spread"
    short = [quantile_column(q) for q in asked if q != 0.5 and not backtest.reaches(m, q)]
    if not short:
        return (
            f"{errors} alone (enough for every quantile asked; a naive method's band is its errors)"
        )
    ratios = "month-to-month changes" if method.name == LAST else "year-on-year ratios"
    return (f"the wider of {errors} and the spread of the history's {ratios} ({'too few' if m != 1 else 'one is too few'} "
            f"to give {' and '.join(short)})")  # fmt: skip


def _rates(values: npt.NDArray[np.float64]) -> list[float]:
    """Rates as shown and written: each rounded once, correctly, to :data:`RATE_DIGITS`."""
    return [round(float(v), RATE_DIGITS) for v in values]


def _quantiles(extra: Sequence[float]) -> tuple[float, ...]:
    out = set(DEFAULT_QUANTILES)
    for q in extra:
        value = float(q)
        if not 0 < value < 1:
            raise InputError("quantile", q, "expected a share between 0 and 1, such as 0.95")
        out.add(value)
    return tuple(sorted(out))


def _complete_run(peaks: MonthlyPeaks) -> npt.NDArray[np.bool_]:
    """The complete months to fit: partial months left out, gaps between complete ones
    refused (naming the months missing), at least three."""
    complete = peaks.month[~peaks.partial]
    if len(complete) < 3:
        raise InputError("history", f"{len(complete)} complete months", "expected at least 3 "
                         "complete months of send history to forecast from")  # fmt: skip
    expected = complete[0] + np.arange(int((complete[-1] - complete[0]).astype(int)) + 1)
    missing = np.setdiff1d(expected, complete)
    if len(missing):
        raise InputError("history", ", ".join(str(m) for m in missing[:6]), "months missing or "
                         "partial between complete ones; give their history, or start after "
                         "the gap")  # fmt: skip
    return np.asarray(~peaks.partial, dtype=np.bool_)


def _floor(y: npt.NDArray[np.float64]) -> float:
    """The least rate a quantile may take: 1 % of the history's median positive peak, and
    never under :data:`LEAST_RATE`."""
    return max(float(np.median(y[y > 0])) * 0.01, LEAST_RATE)


def _seen(peaks: MonthlyPeaks, month: Any) -> float | None:
    """The peak already seen in ``month`` when the history holds part of it."""
    at = np.flatnonzero(peaks.month == month)
    return float(peaks.peak_rate[at[0]]) if len(at) and peaks.partial[at[0]] else None


# ----------------------------------------------------------------------- the methods


@dataclass(frozen=True)
class Method:
    """A forecast method: its name, the months it needs to train, and how it runs."""

    name: str
    min_train: int
    words: str

    def describe(self, n: int) -> str:
        return f"{self.name}: {self.words}, {n} complete months"

    @property
    def fitted(self) -> bool:
        """Whether the method fits a model with a spread of its own (smoothing); a naive
        method's spread is only that of its errors."""
        return self.name not in (SEASONAL_NAIVE, GROWTH, LAST)

    def point(self, y: npt.NDArray[np.float64], h: int) -> npt.NDArray[np.float64]:
        """The forecast ``h`` months after ``y``, as cheaply as the method allows."""
        if self.name == LAST:
            return np.full(h, y[-1])
        if self.name == SEASONAL_NAIVE:
            return backtest.seasonal_naive(y, h)
        if self.name == GROWTH:
            return backtest.seasonal_naive_growth(y, h)
        return np.asarray(_ets(self.name, y).forecast(h), dtype=np.float64)

    def run(
        self, y: npt.NDArray[np.float64], h: int, months: npt.NDArray[Any]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], Any, Any, float | None]:
        """The forecast, its own log half-width of an 80 % band per month ahead, the
        months fitted and their one-step fitted values, and the AIC where there is one."""
        if not self.fitted:
            point = self.point(y, h)
            k = np.arange(1, h + 1)
            recent = y[-RECENT:]  # the spread of late, not of a history's old regimes
            ratios = (_logs(recent[SEASON:]) - _logs(recent[:-SEASON]) if len(recent) > SEASON + 1
                      else np.diff(_logs(recent)))  # fmt: skip
            # These ratios are the method's own errors one season (or month) ahead: a
            # method that repeats a month (no growth term) misses by all of a ratio, its
            # drift included; the growth-scaled one by the ratio less its mean.
            spread = _upper_std(ratios, about_mean=self.name == GROWTH) * backtest.Z80
            own = spread * np.sqrt(np.ceil(k / SEASON))
            back = 1 if self.name == LAST else min(SEASON, len(y) - 1)
            scale = backtest.yoy_growth(y) if self.name == GROWTH else 1.0
            return point, own, months[back:], y[:-back] * scale, None
        fit = _ets(self.name, y)
        sims = np.asarray(fit.simulate(nsimulations=h, repetitions=REPETITIONS, anchor="end",
                                       **_seeded(fit))).reshape(h, -1)  # fmt: skip
        low, high = np.quantile(np.maximum(sims, _floor(y)), [0.1, 0.9], axis=1)
        point = np.asarray(fit.forecast(h), dtype=np.float64)
        own = (np.log(high) - np.log(low)) / 2
        return point, own, months, np.asarray(fit.fittedvalues, dtype=np.float64), float(fit.aic)


@dataclass(frozen=True)
class Blend(Method):
    """Two methods' geometric mean: forecasts and fits; its own spread the narrower."""

    parts: tuple[Method, Method] = (None, None)  # type: ignore[assignment]

    @property
    def fitted(self) -> bool:
        return any(p.fitted for p in self.parts)

    def point(self, y: npt.NDArray[np.float64], h: int) -> npt.NDArray[np.float64]:
        a, b = (p.point(y, h) for p in self.parts)
        return np.asarray(np.sqrt(np.maximum(a, 0) * np.maximum(b, 0)), dtype=np.float64)

    def run(
        self, y: npt.NDArray[np.float64], h: int, months: npt.NDArray[Any]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], Any, Any, float | None]:
        one, two = (p.run(y, h, months) for p in self.parts)
        common, a, b = np.intersect1d(one[2], two[2], return_indices=True)
        fitted = np.sqrt(np.maximum(one[3][a], 0) * np.maximum(two[3][b], 0))
        return (np.sqrt(np.maximum(one[0], 0) * np.maximum(two[0], 0)),
                np.minimum(one[1], two[1]), common, fitted, one[4])  # fmt: skip


SEASON = backtest.SEASON
LAST = "last month"
SEASONAL_NAIVE = "seasonal naive"
GROWTH = "seasonal naive with growth"
DAMPED = "damped trend"
SEASONAL_ETS = "seasonal smoothing"
#: The candidates, each with the months it needs before it may forecast: the seasonal
#: naive (the bar to beat) needs a year, its growth-scaled version a year and 3 months to
#: measure growth, damped-trend smoothing 8 months, seasonal smoothing two full years.
METHODS = (
    Method(SEASONAL_NAIVE, SEASON, "each month as the same month a year before"),
    Method(GROWTH, SEASON + backtest.GROWTH_MONTHS,
           "the same month a year before, times the recent year-on-year growth"),
    Method(DAMPED, 8, "exponential smoothing with a damped trend, no season"),
    Method(SEASONAL_ETS, 2 * SEASON,
           "exponential smoothing with a damped trend and a 12-month season"),
)  # fmt: skip
LAST_MONTH = Method(LAST, 1, "each month as the last complete month (less than a "
                    "year of history: no season to repeat)")  # fmt: skip
MIN_ORIGINS = 3
CLEARLY = 2.0
"""Standard errors by which a candidate must beat the seasonal naive (:func:`_beats`)."""
TRUST = 0.5
"""A candidate whose error is at most this share of the seasonal naive's is used alone;
above it, blended half and half with the seasonal naive."""
FEW_OUTCOMES = 44
"""Past outcomes under which their share inside p10-p90 is too few to judge the bands by:
at 80 %, a 90 % binomial interval is within 10 points from 44 outcomes on (and outcomes
from overlapping origins are not independent, so even that flatters)."""
RECENT = 4 * SEASON
"""Months whose seasonal ratios give a naive method its own spread: the last four years."""
UPPER = 0.5
"""The chi-square quantile of :func:`_upper_std` (0.5: the median's bound)."""


def _upper_std(x: npt.NDArray[np.float64], *, about_mean: bool = True) -> float:
    """The spread of ``x`` widened for its few values: the median-unbiased bound of a
    standard deviation, sqrt(d s^2 / chi2(:data:`UPPER`; d)), with ``s`` taken about the
    mean (``d = m - 1``) or, ``about_mean=False``, about zero (the root mean square,
    ``d = m``); 0 for fewer than 2 values."""
    from scipy.stats import chi2  # type: ignore[import-untyped]

    m = len(x)
    if m < 2:
        return 0.0
    d = m - 1 if about_mean else m
    square = np.sum((x - np.mean(x)) ** 2 if about_mean else np.square(x)) / d
    return float(np.sqrt(square * d / chi2.ppf(UPPER, d)))


def _logs(y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.log(np.maximum(y, _floor(y)))


def _seeded(fit: Any) -> dict[str, Any]:
    """The fixed generator for ``fit.simulate``, as this statsmodels takes it: ``rng`` (a
    Generator) from 0.15, ``random_state`` (a RandomState) in 0.14, the declared floor."""
    import inspect

    if "rng" in inspect.signature(fit.simulate).parameters:
        return {"rng": np.random.default_rng(SEED)}
    return {"random_state": np.random.RandomState(SEED)}  # 0.14 takes no Generator


def _ets(name: str, y: npt.NDArray[np.float64]) -> Any:
    """Fit damped-trend (or seasonal) ETS: multiplicative errors when every month sent
    something (volumes grow and swing in proportion), additive otherwise. A fit is kept
    for the months it was given, so the backtest's coverage (:func:`_judged`) reuses the
    fits its errors were made with (:func:`_errors`) instead of fitting each origin twice."""
    return _fitted(name, np.ascontiguousarray(y, dtype=np.float64).tobytes())


@functools.lru_cache(maxsize=64)
def _fitted(name: str, months: bytes) -> Any:
    import warnings

    from statsmodels.tsa.exponential_smoothing.ets import ETSModel  # type: ignore[import-untyped]

    y = np.frombuffer(months, dtype=np.float64)
    kind = "mul" if bool(np.all(y > 0)) else "add"
    spec: dict[str, Any] = {"trend": "add", "damped_trend": True}
    if name == SEASONAL_ETS:
        spec.update(seasonal=kind, seasonal_periods=SEASON)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' convergence notes; the scores judge it
        return ETSModel(y, error=kind, **spec).fit(disp=False, maxiter=200)


def _choose(y: npt.NDArray[np.float64]) -> tuple[Method, Backtest]:
    """The candidate with the least rolling-origin error on ``y``, each scored on the same
    origins and horizons, and the chosen one's backtest. The seasonal naive, where it is a
    candidate, gives way only to one that beats it clearly (:func:`_beats`): on a few
    origins a lower error is as often luck as skill."""
    n = len(y)
    # From 13 months the seasonal methods are candidates however few their origins: a
    # short history (12-23 months, the common case) is judged on what it has.
    pool = [
        m
        for m in METHODS
        if n - m.min_train >= MIN_ORIGINS
        or (m.name in (SEASONAL_NAIVE, GROWTH) and n > m.min_train and n < 2 * SEASON)
    ]
    if not pool:  # under a year and three months: no season can be checked
        pool = [m for m in (LAST_MONTH, METHODS[2]) if n - m.min_train >= MIN_ORIGINS]
        pool = pool or [LAST_MONTH]
    first = max(m.min_train for m in pool)
    errors = {m.name: _errors(m, y, first) for m in pool}
    scores = {name: float(np.mean(np.abs(r.error))) if len(r.error) else float("inf")
              for name, r in errors.items()}  # fmt: skip
    naive = errors.get(SEASONAL_NAIVE)
    rivals = [m for m in pool if naive is None or m.name == SEASONAL_NAIVE
              or _beats(errors[m.name], naive)]  # fmt: skip
    best: Method = min(rivals, key=lambda m: (round(scores[m.name], 12), pool.index(m)))
    reason = _reason(best, pool, scores, naive is not None)
    if (
        naive is not None
        and best.name != SEASONAL_NAIVE
        and (scores[best.name] > TRUST * scores[SEASONAL_NAIVE])
    ):
        # What beat the same month last year by a little in the past may not go on doing
        # so (a trend that turns): half of each, the geometric mean, whose past errors are
        # exactly the mean of the two's log errors. One that halved its error is trusted.
        naive_method = next(m for m in pool if m.name == SEASONAL_NAIVE)
        best = Blend(f"{best.name} and the seasonal naive", best.min_train,
                     f"the geometric mean of {best.words} and the same month a year before",
                     (best, naive_method))  # fmt: skip
        reason = (f"{best.parts[0].name} beat the seasonal naive clearly but by less than "
                  f"half its error, so the two are blended")  # fmt: skip
        first_runs = errors[best.parts[0].name]
        errors = {**errors, best.name: Runs(
            (first_runs.error + naive.error) / 2, first_runs.horizon, first_runs.origin,
            np.sqrt(first_runs.forecast * naive.forecast))}  # fmt: skip
    return best, _backtest(best, errors, scores, reason)


def _reason(best: Method, pool: Sequence[Method], scores: Mapping[str, float],
            naive: bool) -> str:  # fmt: skip
    """Why ``best`` won, in words (:func:`_choose`'s rules)."""
    if not naive:
        return ("the least error of the candidates" if len(pool) > 1
                else "the one method for so short a history")  # fmt: skip
    if best.name != SEASONAL_NAIVE:
        return f"{best.name} beat the seasonal naive clearly, with at most half its error"
    if any(v < scores[SEASONAL_NAIVE] for v in scores.values()):
        return (f"the seasonal naive, kept: no candidate beat it clearly (by {CLEARLY:g} "
                f"standard errors over at least {MIN_ORIGINS} past origins)")  # fmt: skip
    return "no candidate had less error than the seasonal naive"


def _beats(runs: Runs, naive: Runs) -> bool:
    """Whether ``runs`` beat the seasonal naive's clearly: the
    mean, over origins, of each origin's mean absolute error less the naive's, must stay
    below zero by :data:`CLEARLY` standard errors (origins' errors overlap in time, so the origin
    is the unit that counts)."""
    origins = np.unique(runs.origin)
    if len(origins) < MIN_ORIGINS:
        return False
    gap = np.array([np.mean(np.abs(runs.error[runs.origin == o]))
                    - np.mean(np.abs(naive.error[naive.origin == o])) for o in origins])  # fmt: skip
    return bool(gap.mean() + CLEARLY * gap.std(ddof=1) / np.sqrt(len(gap)) < 0)


def _errors(method: Method, y: npt.NDArray[np.float64], first: int) -> Runs:
    """The log errors ``method`` made from each origin (training on ``y[:o]``) over the
    months after it (at most 12), with their horizons, origins and forecasts."""
    floor = _floor(y)
    out, hs, os_, points = [], [], [], []
    for o in backtest.origins(len(y), first):
        h = min(SEASON, len(y) - o)
        point = method.point(y[:o], h)
        out.append(backtest.log_error(y[o : o + h], point, floor))
        hs.append(np.arange(1, h + 1))
        os_.append(np.full(h, o))
        points.append(point)
    if not out:
        return Runs(np.empty(0), np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    return Runs(np.concatenate(out), np.concatenate(hs), np.concatenate(os_),
                np.concatenate(points))  # fmt: skip


@dataclass(frozen=True)
class Runs:
    """A method's rolling-origin runs, one entry per (origin, month ahead)."""

    error: npt.NDArray[np.float64]
    """log(actual / forecast)."""
    horizon: npt.NDArray[np.int64]
    origin: npt.NDArray[np.int64]
    """The months trained on (the index of the first month forecast)."""
    forecast: npt.NDArray[np.float64]


def _backtest(
    best: Method,
    errors: Mapping[str, Runs],
    scores: Mapping[str, float],
    reason: str,
) -> Backtest:
    """What the chosen method's past errors say: its error and the seasonal naive's by
    horizon, and the share of outcomes that fell inside p10-p90 when each origin's band
    was calibrated on the other origins' errors (no origin judges itself)."""
    runs = errors[best.name]
    e, hs, os_ = runs.error, runs.horizon, runs.origin
    naive = errors.get(SEASONAL_NAIVE)
    by_h = [float(np.mean(np.abs(e[hs == k]))) for k in range(1, SEASON + 1) if np.any(hs == k)]
    naive_h = ([float(np.mean(np.abs(naive.error[naive.horizon == k])))
                for k in range(1, len(by_h) + 1)]
               if naive is not None and len(naive.error) else [])  # fmt: skip
    ratio = sum(by_h) / sum(naive_h) if naive_h and sum(naive_h) > 0 else None
    return Backtest(
        method=best.name, origins=len(np.unique(os_)), error_by_horizon=tuple(by_h),
        naive_by_horizon=tuple(naive_h), ratio_to_naive=ratio, coverage=None,
        scores={k: v for k, v in scores.items() if np.isfinite(v)}, reason=reason,
        errors=(e, hs), runs=runs,
    )  # fmt: skip


def _judged(scored: Backtest, method: Method, y: npt.NDArray[np.float64],
            months: npt.NDArray[Any], extra: float) -> Backtest:  # fmt: skip
    """``scored`` with the share of its outcomes that fell inside p10-p90, each origin's
    band made as the forecast's is (:func:`planner.model.backtest.calibrated`): from the
    other origins' errors, and the method's own spread as it was at that origin (run on
    the months before it), so no origin judges itself."""
    e, hs = scored.errors
    os_ = scored.runs.origin
    inside: list[bool] = []
    for o in np.unique(os_):
        mine, rest = os_ == o, os_ != o
        if not rest.any():
            continue
        k = hs[mine]
        own = method.run(y[:o], int(k.max()), months[:o])[1]
        band = backtest.calibrated(np.ones(int(k.max())), e[rest], hs[rest], own, (0.1, 0.9),
                                   model=method.fitted, extra=extra)  # fmt: skip
        low, high = np.log(band[k - 1, 0]), np.log(band[k - 1, 1])
        inside.extend(((e[mine] >= low) & (e[mine] <= high)).tolist())
    return replace(scored, coverage=float(np.mean(inside)) if inside else None,
                   outcomes=len(inside))  # fmt: skip
