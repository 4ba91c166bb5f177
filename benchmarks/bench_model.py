"""Benchmarks: print how long the vectorised model takes on large inputs.

    python benchmarks/bench_model.py

Figures only; nothing is asserted (timings on a shared machine are noisy).
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np

import planner
from planner.files.plans import Plan, RegionLine
from planner.scenario.budgets import budget_frame
from planner.scenario.ledgers import budget_arrays


def timed(label: str, fn, repeat: int = 3):  # type: ignore[no-untyped-def]
    best = float("inf")
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<58} {best:8.3f} s (best of {repeat})")
    return result


def main() -> None:
    import argparse

    argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None).parse_args()
    rates = np.random.default_rng(1).uniform(0.01, 5000, 1_000_000)
    timed(
        "ips_needed, 1,000,000 rates (6 AZs, survive 1)",
        lambda: planner.ips_needed(rates, 34.72, 0.8, 2, 1, 6),
    )
    whole = np.arange(1, 1_000_001, dtype=np.float64)  # every quotient exactly whole
    timed(
        "ips_for_rate, 1,000,000 whole quotients (all settled exactly)",
        lambda: planner.ips_for_rate(whole, 1, 1),
    )
    ips = planner.ips_needed(rates, 34.72, 0.8, 2, 1, 6)
    timed("spread, 1,000,000 fleets over 6 AZs", lambda: planner.spread(ips, 6))

    regions = [r.region for r in planner.load_regions() if r.partition == "aws"]
    lines = tuple(
        RegionLine(regions[i % len(regions)], pool=f"pool-{i}", ips=2 + i % 7)
        for i in range(100_000)
    )
    plan = Plan(start="2027-01", months=36, regions=lines)
    arrays = timed(
        "budget arrays, 100,000 pools x 36 months",
        lambda: budget_arrays(plan, planner.Scenario.build(plan=plan)),
        repeat=1,
    )
    timed("budget DataFrame (3.6M rows, decimal money)", lambda: budget_frame(arrays), repeat=1)

    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "planner", "estimate", "--rate", "300", "--date", "2026-11-27"],
        check=True,
        capture_output=True,
    )
    print(f"{'python -m planner estimate (whole process)':<58} {time.perf_counter() - t0:8.3f} s")


if __name__ == "__main__":
    main()
