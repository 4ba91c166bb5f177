"""Monthly peak send rates from buckets of mixed resolution.

A bucket of ``period`` seconds that sent ``sent`` messages ran at ``sent / period``
msg/s on average. A calendar month's (UTC) peak rate is its largest bucket rate at the
finest period that covers it: the finest period with at least ``min_share`` of the
month's buckets present. A month only a coarser period covers gets that period's peak
times a burst ratio: how much the finest period's peak stands above the coarser one's
where both have data (the same span of time), measured once per coarser period and
reported with the months it was measured on. A given ``burst`` is the 1-minute peak over
the finest period coarser than a minute (the hour, in a CloudWatch download), in place of
any measured one; a still coarser period is measured against that period where they
overlap and scaled by both. A month that no period covers to ``min_share`` takes the
best-covered period and is marked partial.

>>> import numpy as np
>>> start = np.array(["2026-01-01T00:00", "2026-01-01T00:01"], dtype="datetime64[s]")
>>> p = monthly_peaks(start, np.array([60, 60]), np.array([600.0, 1200.0]), min_share=0)
>>> p.month.tolist(), p.peak_rate.tolist()
([datetime.date(2026, 1, 1)], [20.0])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.errors import InputError
from planner.model.arrays import FloatArray
from planner.model.fees import days_in_month
from planner.model.sizing import SECONDS_PER_DAY

MINUTE = 60
"""[s]: the finest period CloudWatch keeps for SES's Send metric, the one a peak means."""


@dataclass(frozen=True)
class Burst:
    """How the finest period's peak stands above a coarser period's, where both have data."""

    period: int
    """The coarser period [s]."""
    finest: int
    ratio: float
    months: tuple[str, ...]
    """The months (YYYY-MM) the ratio was measured on; empty when given (``burst``)."""
    spread: float = 0.0
    """The standard deviation of the ratio's log from day to day (each day's finest peak
    over its coarse peak) where both have data: how far one month's ratio may stray from
    it; 0 when given or measured on fewer than two days."""
    given: float | None = None
    """The given ``burst`` the ratio includes; None when it was measured alone."""


@dataclass(frozen=True)
class MonthlyPeaks:
    """One row per calendar month that has data, in order."""

    month: npt.NDArray[Any]  # datetime64[M]
    peak_rate: FloatArray
    """[msg/s], at the finest period (a coarser peak times its burst ratio)."""
    period: npt.NDArray[np.int64]
    """The period [s] the peak was read at."""
    share: FloatArray
    """The share of that period's buckets present in the month."""
    partial: npt.NDArray[np.bool_]
    bursts: tuple[Burst, ...]


def monthly_peaks(
    start: npt.NDArray[Any],
    period: npt.NDArray[Any],
    sent: npt.NDArray[Any],
    *,
    burst: float | None = None,
    min_share: float = 0.9,
) -> MonthlyPeaks:
    """Monthly peaks from buckets (``start`` datetime64, ``period`` [s], ``sent``)."""
    start = np.asarray(start, dtype="datetime64[s]")
    period = np.asarray(period, dtype=np.int64)
    rate = np.asarray(sent, dtype=np.float64) / period
    if len(start) == 0:
        raise InputError("history", "no buckets", "expected the account's sends over time")
    if burst is not None and not (np.isfinite(burst) and burst >= 1):
        raise InputError("burst", burst, "expected a peak-to-mean ratio of 1 or more")
    if not 0 <= min_share <= 1:  # also refuses NaN
        raise InputError("min_share", min_share, "expected the share of a month's buckets "
                         "that must be present, 0 to 1, such as 0.9")  # fmt: skip
    months = start.astype("datetime64[M]")
    all_months = np.unique(months)
    periods = np.unique(period)
    seconds = days_in_month(all_months) * SECONDS_PER_DAY
    # peak and share per (period, month): one grouped maximum and count per period.
    peak = np.full((len(periods), len(all_months)), np.nan)
    share = np.zeros((len(periods), len(all_months)))
    for i, p in enumerate(periods.tolist()):
        mine = period == p
        at = np.searchsorted(all_months, months[mine])
        np.fmax.at(peak[i], at, rate[mine])
        share[i] = np.bincount(at, minlength=len(all_months)) * p / seconds
    covered = (share >= min_share) & (share > 0)  # a period with no bucket covers nothing
    chosen = np.where(covered.any(axis=0), covered.argmax(axis=0), share.argmax(axis=0))
    columns = np.arange(len(all_months))
    ratios = _ratios(start, period, rate, periods, burst)
    unscaled = len(periods) - len(ratios)
    factor = np.array([1.0] * unscaled + [b.ratio for b in ratios])
    return MonthlyPeaks(
        month=all_months,
        peak_rate=peak[chosen, columns] * factor[chosen],
        period=periods[chosen],
        share=np.minimum(share[chosen, columns], 1.0),
        partial=np.asarray(~covered.any(axis=0), dtype=np.bool_),
        bursts=tuple(
            b for b, at in zip(ratios, range(unscaled, len(periods)), strict=True) if at in chosen
        ),
    )


def _ratios(
    start: npt.NDArray[Any], period: npt.NDArray[np.int64], rate: FloatArray,
    periods: npt.NDArray[np.int64], given: float | None,
) -> list[Burst]:  # fmt: skip
    """A burst ratio for each period coarser than the one peaks are read at (the finest
    present, or the minute a given burst scales to), coarsest last."""
    if given is None:
        return [_burst(start, period, rate, int(p), int(periods[0])) for p in periods[1:]]
    coarse = [int(p) for p in periods if p > MINUTE]
    out = []
    for p in coarse:
        if p == coarse[0]:
            out.append(Burst(p, MINUTE, float(given), (), given=float(given)))
            continue
        try:  # the finest coarse period's peak over this one's
            step = _burst(start, period, rate, p, coarse[0])
        except InputError:
            raise InputError("burst", given, f"--burst scales the {coarse[0]} s peaks to the "
                             f"minute's, but the {p} s data never overlap them, so their "
                             f"ratio is unknown; give {p} s and {coarse[0]} s data for a "
                             f"common span, or leave out the {p} s files") from None  # fmt: skip
        out.append(Burst(p, MINUTE, float(given) * step.ratio, step.months, step.spread,
                         given=float(given)))  # fmt: skip
    return out


def _burst(
    start: npt.NDArray[Any], period: npt.NDArray[np.int64], rate: FloatArray, coarse: int,
    finest: int,
) -> Burst:  # fmt: skip
    """The finest period's peak over the coarse one's, on the span where both have data."""
    fine, wide = period == finest, period == coarse
    f_start, w_start = start[fine], start[wide]
    low = max(f_start.min(), w_start.min())
    high = min(
        f_start.max() + np.timedelta64(finest, "s"), w_start.max() + np.timedelta64(coarse, "s")
    )
    in_fine = fine & (start >= low) & (start + period.astype("timedelta64[s]") <= high)
    in_wide = wide & (start >= low) & (start + period.astype("timedelta64[s]") <= high)
    if not in_fine.any() or not in_wide.any():
        raise InputError(
            "burst", "not measured", f"the {coarse} s and {finest} s data do not overlap; give "
            "--burst (the peak-to-mean ratio of the finest period over the coarser one)"
        )  # fmt: skip
    wide_peak = float(rate[in_wide].max())
    ratio = float(rate[in_fine].max()) / wide_peak if wide_peak > 0 else 1.0
    used = np.unique(start[in_fine | in_wide].astype("datetime64[M]"))
    return Burst(coarse, finest, max(ratio, 1.0), tuple(str(m) for m in used),
                 _daily_spread(start, rate, in_fine, in_wide))  # fmt: skip


def _daily_spread(
    start: npt.NDArray[Any], rate: FloatArray, fine: npt.NDArray[np.bool_],
    wide: npt.NDArray[np.bool_],
) -> float:  # fmt: skip
    """The standard deviation of log(finest peak / coarse peak) over the days both cover."""
    day = start.astype("datetime64[D]")
    days = np.intersect1d(day[fine], day[wide])
    if len(days) < 2:
        return 0.0
    peak = np.zeros((2, len(days)))
    for row, mine in enumerate((fine, wide)):
        keep = mine & np.isin(day, days)
        np.maximum.at(peak[row], np.searchsorted(days, day[keep]), rate[keep])
    ok = (peak[0] > 0) & (peak[1] > 0)
    if ok.sum() < 2:
        return 0.0
    return float(np.std(np.log(peak[0, ok] / peak[1, ok]), ddof=1))
