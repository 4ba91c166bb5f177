"""Benchmark: a large budget as an Excel workbook, as ratios measured in the same run.

    python benchmarks/bench_xlsx.py [--pools 100000] [--months 36] [--events 2000]

The plan is bench_budget.py's (POOLS pools over 30 Regions, MONTHS months, EVENTS events
in an event log). It prints:

1. the whole ``ipcost budget PLAN -o budget.xlsx`` process (the budget computed, then
   written over as many sheets as it needs, with totals, events and assumptions) against
   xlsxwriter alone writing the same rows, in constant-memory mode, split at the same
   1,048,575 rows a sheet, with ``write_row`` (target at most 1.5x);
2. the peak memory (max RSS) of the ipcost process (target under 1.5 GiB).

Figures only; nothing is asserted (this machine is shared and timings are noisy). At the
default size each run takes minutes, so each is timed once unless --repeat says more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench_budget import RUN_ENV, write_plan

import planner
from planner.edges.workbook import SHEET_ROWS

if TYPE_CHECKING:
    import pandas as pd


def floor(frame: pd.DataFrame, target: Path) -> float:
    """Seconds xlsxwriter alone takes to write the budget's rows (plain Python values,
    prepared before the clock starts), a sheet per 1,048,575 rows."""
    import xlsxwriter  # type: ignore[import-untyped]

    columns = [c for c in frame.columns if c != "currency"]
    months = [dt.date(p.year, p.month, 1) for p in frame["month"]]
    rest = list(
        zip(*(frame[c].astype(float if c in ("charge", "refund") else object).tolist()
              for c in columns[1:]), strict=True)
    )  # fmt: skip
    t0 = time.perf_counter()
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    month = book.add_format({"num_format": "yyyy-mm"})
    for part, start in enumerate(range(0, len(rest), SHEET_ROWS), start=1):
        sheet = book.add_worksheet(f"budget {part}")
        sheet.write_row(0, 0, columns)
        for r in range(start, min(len(rest), start + SHEET_ROWS)):
            sheet.write_datetime(r - start + 1, 0, months[r], month)
            sheet.write_row(r - start + 1, 1, rest[r])
    book.close()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    ipcost = str(Path(sys.executable).with_name("ipcost"))

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan_path = write_plan(folder, args.pools, args.months, args.events)
        print(f"plan: {args.pools:,} pools over 30 Regions, {args.months} months, "
              f"{args.events:,} events")  # fmt: skip
        run_s = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            subprocess.run([ipcost, "budget", str(plan_path), "-o", str(folder / "b.xlsx")],
                           check=True, capture_output=True, env=RUN_ENV)  # fmt: skip
            run_s = min(run_s, time.perf_counter() - t0)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        size = (folder / "b.xlsx").stat().st_size

        frame = planner.budget(planner.read_plan(plan_path)).to_frame()
        rows = len(frame)
        floor_s = min(floor(frame, folder / "floor.xlsx") for _ in range(args.repeat))

    sheets = -(-rows // SHEET_ROWS)
    print(f"\n{'figure':<66} {'value':>10}  target")
    print(f"{'ipcost budget -o budget.xlsx, whole process [s]':<66} {run_s:10.2f}")
    print(f"{f'xlsxwriter write_row alone, same {rows:,} rows on {sheets} sheets [s]':<66} "
          f"{floor_s:10.2f}")  # fmt: skip
    print(f"{'  1. ratio':<66} {run_s / floor_s:9.2f}x  <= 1.5x")
    print(f"{'  2. peak memory of that process [MiB]':<66} {peak_kib / 1024:10.0f}  < 1536")
    print(f"{'  (the workbook: ' + format(size / 2**20, '.0f') + ' MiB)':<66}")


if __name__ == "__main__":
    main()
