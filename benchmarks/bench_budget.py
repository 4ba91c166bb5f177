"""Benchmark: a large budget end to end, as ratios measured in the same run.

    python benchmarks/bench_budget.py [--pools 100000] [--months 36] [--events 2000]

The plan: POOLS pools over 30 Regions (a third sized from a peak rate, the rest an
IP count), MONTHS months and EVENTS lease/relinquish events in an event log. It
prints four figures, each against a baseline timed on this machine in this run:

1. the whole ``ipcost budget PLAN -o budget.csv`` process against pandas'
   ``DataFrame.to_csv`` writing the same rows (plain dtypes; target at most 1.5x);
2. the peak memory (max RSS) of that process (target under 1.5 GiB);
3. ``planner.budget(plan)`` in-process against a plain int64 numpy computation of the
   same charges, refunds and IP-days from the same cohorts (target at most 5x);
4. the cold start of ``ipcost estimate --rate 300`` against a minimal typer app that
   imports numpy and declares the same options (target at most 1.15x).

Figures only; nothing is asserted (this machine is shared and timings are noisy).
Each timing is the best of a few runs.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import planner
from planner.files.tables import load_prices, load_regions
from planner.scenario.ledgers import _horizon, plan_ledger

HERE = Path(__file__).resolve().parent


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def write_plan(folder: Path, pools: int, months: int, events: int) -> Path:
    """A plan of ``pools`` pools over 30 Regions with ``events`` events in an event log."""
    rng = np.random.default_rng(8)
    regions = [r.region for r in load_regions() if r.partition == "aws"][:30]
    held = {}
    lines = ['start = "2027-01"', f"months = {months}", 'events_file = "events.csv"', ""]
    lines += ["[defaults]", "utilization = 0.8", "az_failures = 1", ""]
    for i in range(pools):
        region, pool = regions[i % len(regions)], f"pool-{i}"
        lines += ["[[regions]]", f'region = "{region}"', f'pool = "{pool}"']
        if i % 3 == 0:
            lines.append(f"rate = {rng.uniform(1, 400):.2f}")
            held[(region, pool)] = 2  # sized to at least 2 (the minimum)
        else:
            n = int(rng.integers(2, 9))
            lines.append(f"ips = {n}")
            held[(region, pool)] = n
        lines.append("")
    (folder / "plan.toml").write_text("\n".join(lines), encoding="utf-8")

    start = np.datetime64("2027-01-01")
    days = np.sort(rng.integers(0, months * 30, events))
    keys = list(held)
    with (folder / "events.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "region", "action", "count", "pool", "note"])
        for j, day in enumerate(days):
            region, pool = keys[int(rng.integers(0, len(keys)))]
            if j % 2 == 0:  # lease 1-3
                count, action = int(rng.integers(1, 4)), "lease"
                held[(region, pool)] += count
            else:  # relinquish what is surely held (every pool keeps its first 2)
                count, action = 1, "relinquish"
                held[(region, pool)] -= 1
                if held[(region, pool)] < 2:
                    held[(region, pool)] += 2
                    count, action = 2, "lease"
            writer.writerow([str(start + int(day)), region, action, count, pool, "benchmark"])
    return folder / "plan.toml"


def numpy_baseline(plan: planner.Plan) -> Callable[[], tuple[Any, Any, Any]]:
    """Plain int64 numpy: charge, refund and IP-days per group and month from the cohorts."""
    book = load_prices()
    horizon = _horizon(plan.start, plan.months)
    cohorts = plan_ledger(plan, planner.Scenario.build(plan=plan)).ledger
    groups, g, n = cohorts.groups, cohorts.group, cohorts.count[:, None]
    lease, end = cohorts.lease[:, None], cohorts.end[:, None]  # days since 1970-01-01
    fee = int(book.fee_cents("dedicated-ip", "us-east-1", horizon.first[:1])[0])
    first = horizon.first.astype(np.int64)[None, :]
    d = horizon.days[None, :]

    def compute() -> tuple[Any, Any, Any]:
        last = first + d - 1
        s = np.clip(lease - first, 0, None) + 1  # first day billed
        e = np.where(end <= last, end - first + 1, d)  # inclusive
        billed = np.clip(e - np.clip(s, 1, None) + 1, 0, d) * ((lease <= last) & (end >= first))
        charge = (2 * fee * billed + d) // (2 * d)  # half up, per IP-month
        refund = (fee - charge) * ((end >= first) & (end <= last))
        out = [np.zeros((len(groups), d.shape[1]), dtype=np.int64) for _ in range(3)]
        for o, v in zip(out, (n * charge, n * refund, n * billed), strict=True):
            np.add.at(o, g, v)
        return out[0], out[1], out[2]

    return compute


#: Programs run as an installed user runs them: from bytecode. (Some shells here set
#: PYTHONDONTWRITEBYTECODE, which would make every start of an editable install compile
#: ipcost from source while numpy and typer, compiled by pip, start from bytecode.)
RUN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cold_start(argv: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=RUN_ENV)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ipcost = str(Path(sys.executable).with_name("ipcost"))

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan_path = write_plan(folder, args.pools, args.months, args.events)
        target = folder / "budget.csv"
        print(f"plan: {args.pools:,} pools over 30 Regions, {args.months} months, "
              f"{args.events:,} events")  # fmt: skip

        # 1 and 2: the whole command, and its peak memory.
        run_s = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            subprocess.run([ipcost, "budget", str(plan_path), "-o", str(target)], check=True,
                           capture_output=True, env=RUN_ENV)  # fmt: skip
            run_s = min(run_s, time.perf_counter() - t0)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rows = sum(1 for _ in target.open(encoding="utf-8")) - 1

        plan = planner.read_plan(plan_path)
        frame = planner.budget(plan).to_frame()
        plain = frame.astype(
            {"region": object, "pool": object, "currency": object, "charge": float, "refund": float}
        ).assign(month=frame["month"].astype(str))
        to_csv_s, _ = best_of(lambda: plain.to_csv(folder / "pandas.csv", index=False), args.repeat)

        # 3: planner.budget against plain numpy on the same cohorts.
        budget_s, _ = best_of(lambda: planner.budget(plan).to_frame(), args.repeat)
        compute = numpy_baseline(plan)
        numpy_s, (charge, refund, ip_days) = best_of(compute, args.repeat)
        same = (
            int(charge.sum()) == int(planner.cents(frame["charge"].sum()))
            and int(refund.sum()) == int(planner.cents(frame["refund"].sum()))
            and int(ip_days.sum()) == int(frame["ip_days"].sum())
        )

    # 4: cold start against a minimal typer app with the same options.
    minimal = [sys.executable, str(HERE / "minimal_typer_app.py"), "--rate", "300"]
    real = [ipcost, "estimate", "--rate", "300", "--date", "2026-11-27"]
    cold_start(real, 2)  # warm the file and bytecode caches for both
    cold_start(minimal, 2)
    real_s = minimal_s = float("inf")
    for _ in range(max(args.repeat, 10)):  # interleaved, so load on the machine hits both
        real_s = min(real_s, cold_start(real, 1))
        minimal_s = min(minimal_s, cold_start(minimal, 1))

    print(f"\n{'figure':<62} {'value':>10}  target")
    print(f"{'ipcost budget -o budget.csv, whole process [s]':<62} {run_s:10.2f}")
    print(
        f"{'pandas DataFrame.to_csv, same ' + format(rows, ',') + ' rows [s]':<62} {to_csv_s:10.2f}"
    )
    print(f"{'  1. ratio':<62} {run_s / to_csv_s:9.2f}x  <= 1.5x")
    print(f"{'  2. peak memory of that process [MiB]':<62} {peak_kib / 1024:10.0f}  < 1536")
    print(f"{'planner.budget(plan), in process [s]':<62} {budget_s:10.2f}")
    print(
        f"{'plain int64 numpy, same charges (same totals: ' + str(same) + ') [s]':<62} {numpy_s:10.2f}"
    )
    print(f"{'  3. ratio':<62} {budget_s / numpy_s:9.2f}x  <= 5x")
    print(f"{'ipcost estimate --rate 300, cold start [s]':<62} {real_s:10.3f}")
    print(f"{'minimal typer app importing numpy, same options [s]':<62} {minimal_s:10.3f}")
    print(f"{'  4. ratio':<62} {real_s / minimal_s:9.2f}x  <= 1.15x")
    print(f"\n(python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
