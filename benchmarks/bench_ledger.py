"""Benchmark: the fleet ledger's commands at scale, as ratios measured in the same run.

    python benchmarks/bench_ledger.py [--repeat 3]

Each figure is a whole ``ipcost`` process against a floor program (benchmarks/floors.py)
run beside it on the same input, best of ``--repeat`` runs, interleaved:

1. ``ipcost schedule`` of 1,000 Region/pool series x 60 months (``-o events.csv``) against
   a typer + pandas program that reads the same forecast and writes one CSV row per
   series and month (target at most 5x), and that schedule's peak memory (< 300 MiB);
2. ``ipcost schedule`` of 10 series x 540 months against the same 10 series x 180 months
   (linear in months: target at most 4x for 3x the months);
3. ``ipcost budget`` of one pool with 32,000 events against a pandas program that reads
   the same event log and takes a cumulative sum (target at most 5x);
4. ``ipcost fleet`` of 100,000 IPs in 10,000 pools (1,000 get-dedicated-ips pages)
   against ``json.load`` of the same pages in a typer program (target at most 3x).

Figures only; nothing is asserted (this machine is shared and timings are noisy).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
#: Programs run as an installed user runs them: from bytecode (see bench_budget.py).
RUN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]


def run(argv: list[str]) -> tuple[float, float]:
    """Seconds and peak memory [MiB] of one process."""
    t0 = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=RUN_ENV)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {process.stderr.read().decode()}")  # type: ignore[union-attr]
    return seconds, usage.ru_maxrss / 1024


def best(pair: list[list[str]], repeat: int) -> tuple[list[float], list[float]]:
    """Best time and peak memory of each command, run interleaved ``repeat`` times."""
    times = [float("inf")] * len(pair)
    memory = [0.0] * len(pair)
    for _ in range(repeat):
        for i, argv in enumerate(pair):
            seconds, mib = run(argv)
            times[i], memory[i] = min(times[i], seconds), max(memory[i], mib)
    return times, memory


def write_forecast(path: Path, series: int, months: int, seed: int) -> None:
    """``series`` Region/pool series of ``months`` months, peaks on a random walk."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2027-01", "M")
    steps = rng.normal(0, 40, (series, months))
    rates = np.clip(300 + np.cumsum(steps, axis=1), 10, 3000)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["month", "region", "pool", "peak_rate"])
        for s in range(series):
            region, pool = REGIONS[s % len(REGIONS)], f"pool-{s}"
            for m in range(months):
                writer.writerow([str(start + m), region, pool, f"{rates[s, m]:.2f}"])


def write_events(folder: Path, events: int) -> Path:
    """A plan of one pool and an event log of ``events`` leases and relinquishes."""
    rng = np.random.default_rng(32)
    start = np.datetime64("2027-01-01")
    days = np.sort(rng.integers(0, 36 * 30, events))
    held, leased_today, today = 10, 0, -1
    with (folder / "events.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "region", "action", "count", "pool", "note"])
        for day in days.tolist():
            if day != today:  # a day's leases count from the next day (relinquishes go first)
                held, leased_today, today = held + leased_today, 0, day
            count = int(rng.integers(1, 4))
            if held - count >= 2 and rng.random() < 0.5:
                action, held = "relinquish", held - count
            else:
                action, leased_today = "lease", leased_today + count
            writer.writerow([str(start + day), "us-east-1", action, count, "bulk", ""])
    plan = folder / "plan.toml"
    plan.write_text('start = "2027-01"\nmonths = 36\nevents_file = "events.csv"\n'
                    '[[regions]]\nregion = "us-east-1"\npool = "bulk"\nips = 10\n', encoding="utf-8")  # fmt: skip
    return plan


def write_pages(folder: Path, ips: int, pools: int, per_page: int) -> list[Path]:
    """get-dedicated-ips pages: ``ips`` IPs over ``pools`` pools, ``per_page`` a page."""
    paths = []
    for page, first in enumerate(range(0, ips, per_page)):
        entries = [
            {"Ip": f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", "WarmupStatus": "DONE",
             "WarmupPercentage": 100, "PoolName": f"pool-{i % pools}"}
            for i in range(first, min(first + per_page, ips))
        ]  # fmt: skip
        data: dict[str, object] = {"DedicatedIps": entries}
        if first + per_page < ips:
            data["NextToken"] = f"page-{page + 1}"
        path = folder / f"ips-{page:04d}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ipcost = str(Path(sys.executable).with_name("ipcost"))
    floor = [sys.executable, str(HERE / "floors.py")]
    rows: list[tuple[str, str, str]] = []

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wide = folder / "wide.csv"
        write_forecast(wide, 1_000, 60, 1)
        schedule = [ipcost, "schedule", str(wide), "--today", "2026-01-01",
                    "-o", str(folder / "events-out.csv")]  # fmt: skip
        (ours, base), (memory, _) = best(
            [schedule, [*floor, "forecast", str(wide), str(folder / "rows.csv")]], args.repeat
        )
        rows += [("ipcost schedule, 1,000 series x 60 months [s]", f"{ours:.2f}", ""),
                 ("typer + pandas: read it, one CSV row per series and month [s]", f"{base:.2f}", ""),
                 ("  1. ratio", f"{ours / base:.2f}x", "<= 3x"),
                 ("     peak memory of the schedule [MiB]", f"{memory:.0f}", "< 250")]  # fmt: skip

        long, short = folder / "long.csv", folder / "short.csv"
        write_forecast(long, 10, 540, 2)
        write_forecast(short, 10, 180, 2)
        (t_long, t_short), _ = best(
            [[ipcost, "schedule", str(p), "--today", "2026-01-01", "-o", str(folder / f"{p.stem}.toml")]
             for p in (long, short)], args.repeat,
        )  # fmt: skip
        rows += [("ipcost schedule, 10 series x 540 months [s]", f"{t_long:.2f}", ""),
                 ("ipcost schedule, 10 series x 180 months [s]", f"{t_short:.2f}", ""),
                 ("  2. ratio (3x the months)", f"{t_long / t_short:.2f}x", "<= 4x")]  # fmt: skip

        plan = write_events(folder, 32_000)
        (ours, base), _ = best(
            [[ipcost, "budget", str(plan), "-o", str(folder / "budget.csv")],
             [*floor, "events", str(folder / "events.csv")]], args.repeat,
        )  # fmt: skip
        rows += [("ipcost budget, one pool, 32,000 events [s]", f"{ours:.2f}", ""),
                 ("pandas: read the events, cumulative sum [s]", f"{base:.2f}", ""),
                 ("  3. ratio", f"{ours / base:.2f}x", "<= 5x")]  # fmt: skip

        pages = [str(p) for p in write_pages(folder, 100_000, 10_000, 100)]
        (ours, base), _ = best(
            [[ipcost, "fleet", *pages, "--date", "2027-01-01", "-f", "json", "-o", str(folder / "fleet.json")],
             [*floor, "pages", *pages]], args.repeat,
        )  # fmt: skip
        rows += [("ipcost fleet, 100,000 IPs in 10,000 pools (1,000 pages) [s]", f"{ours:.2f}", ""),
                 ("typer: json.load of the same pages [s]", f"{base:.2f}", ""),
                 ("  4. ratio", f"{ours / base:.2f}x", "<= 3x")]  # fmt: skip

    print(f"{'figure':<64} {'value':>9}  target")
    for name, value, target in rows:
        print(f"{name:<64} {value:>9}  {target}")
    print(f"\n(python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
