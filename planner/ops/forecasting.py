"""Forecasts of monthly peak rates from the account's send history, with their spread.

:func:`forecast` reads the history (:mod:`planner.files.history`), takes each calendar
month's peak rate (:mod:`planner.model.peaks`), fits the complete months with
statsmodels' exponential smoothing (ETS; errors and seasonality multiplicative when
every month sent something, additive otherwise) and simulates the months ahead to give
quantiles of the peak:

- 24 complete months or more: trend and 12-month seasonality;
- 6 to 23: trend, no seasonality;
- 3 to 5: level only (no trend: too few months to tell one), said in ``model``;
- fewer than 3: an error.

Partial months (too few buckets) are shown but not fitted; a gap of months between
complete ones is an error naming the missing months. Quantiles come from one
simulation of ``repetitions`` paths with a fixed seed, so they never cross and a run
repeats exactly; they are clipped at 0 msg/s. statsmodels is imported here only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from planner.errors import InputError
from planner.files.forecasts import quantile_column
from planner.files.history import SendHistory, read_history
from planner.files.tables import PathLike
from planner.model import limits
from planner.model.peaks import MonthlyPeaks, monthly_peaks

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_QUANTILES = (0.1, 0.5, 0.9)
SEED = 20_260_721
REPETITIONS = 4_000


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
    aic: float
    months: npt.NDArray[Any]  # datetime64[M], the months forecast
    quantiles: tuple[float, ...]
    values: npt.NDArray[np.float64]
    """Months x quantiles [msg/s]."""
    warnings: tuple[str, ...] = ()

    def column(self, q: float) -> npt.NDArray[np.float64]:
        return self.values[:, self.quantiles.index(q)]

    def to_frame(self) -> pd.DataFrame:
        """The forecast CSV's rows: ``month, region, pool, peak_rate`` (the median) and a
        column per quantile (``p10``, ``p50``, ``p90``, ...), as ``ipcost schedule`` reads."""
        import pandas as pd

        frame = pd.DataFrame({"month": [str(m) for m in self.months], "region": self.region,
                              "pool": self.pool,
                              "peak_rate": np.round(self.column(0.5), 4)})  # fmt: skip
        for i, q in enumerate(self.quantiles):
            frame[quantile_column(q)] = np.round(self.values[:, i], 4)
        return frame

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost forecast --format json``."""
        h = self.history
        bursts = [{"period": b.period, "finest": b.finest, "ratio": round(b.ratio, 6),
                   "months": list(b.months)} for b in h.bursts]  # fmt: skip
        return {
            "region": self.region,
            "pool": self.pool,
            "history": [
                {
                    "month": str(m),
                    "peak_rate": round(float(r), 4),
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
                "aic": round(self.aic, 4),
                "fitted": [
                    {"month": str(m), "peak_rate": round(float(v), 4)}
                    for m, v in zip(self.fitted_months, self.fitted, strict=True)
                ],
            },
            "forecast": [
                {
                    "month": str(m),
                    **{
                        quantile_column(q): round(float(v), 4)
                        for q, v in zip(self.quantiles, row, strict=True)
                    },
                }
                for m, row in zip(self.months, self.values, strict=True)
            ],
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
    today: dt.date | None = None,
) -> Forecast:
    """Monthly peak rates ahead, as quantiles, from the account's send history."""
    if not 1 <= int(months) <= limits.MAX_MONTHS:
        raise InputError("months", months, f"expected 1 to {limits.MAX_MONTHS} months")
    asked = _quantiles(quantiles)
    read = history if isinstance(history, SendHistory) else read_history(
        history, period=period, today=today)  # fmt: skip
    peaks = monthly_peaks(read.start, read.period, read.sent, burst=burst, min_share=min_share)
    used = _complete_run(peaks)
    y = peaks.peak_rate[used]
    if not np.any(y > 0):
        raise InputError("history", "all zeros", "expected some sends in the complete months")
    fit, name = _fit(y)
    sims = fit.simulate(nsimulations=int(months), repetitions=REPETITIONS, anchor="end",
                        rng=np.random.default_rng(SEED))  # fmt: skip
    values = np.maximum(np.quantile(np.asarray(sims).reshape(int(months), -1), asked, axis=1).T, 0)
    start = peaks.month[used][-1] + 1
    return Forecast(
        region=region, pool=pool, history=peaks, fitted_months=peaks.month[used],
        fitted=np.asarray(fit.fittedvalues, dtype=np.float64), model=name, aic=float(fit.aic),
        months=start + np.arange(int(months)), quantiles=asked, values=values,
        warnings=read.warnings,
    )  # fmt: skip


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


def _fit(y: npt.NDArray[np.float64]) -> tuple[Any, str]:
    """ETS with multiplicative errors (and seasonality) when every month sent something:
    send volumes grow and swing in proportion; additive when a month is zero."""
    import warnings

    from statsmodels.tsa.exponential_smoothing.ets import ETSModel  # type: ignore[import-untyped]

    n = len(y)
    kind = "mul" if bool(np.all(y > 0)) else "add"
    e = "M" if kind == "mul" else "A"
    if n >= 24:
        spec: dict[str, Any] = {"trend": "add", "seasonal": kind, "seasonal_periods": 12}
        name = f"ETS({e},A,{e}): trend and 12-month seasonality, {n} complete months"
    elif n >= 6:
        spec, name = {"trend": "add"}, f"ETS({e},A,N): trend, no seasonality, {n} complete months"
    else:
        spec = {}
        name = f"ETS({e},N,N): level only, {n} complete months (too few to fit a trend)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' convergence notes; the fit is reported
        fit = ETSModel(y, error=kind, **spec).fit(disp=False)
    return fit, name
