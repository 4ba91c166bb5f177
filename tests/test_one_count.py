"""One IP count for one question, whatever the surface asks it.

For every shipped profile and 10,000 peak rates, the count from estimate, budget,
schedule and the public sizing functions fed the per-IP rate a result reports (as the
library's Fraction, and as the JSON's text) is the same, and equals an independent
count in Python's Fraction arithmetic written here: ``max(ceil(R / (M/86400 x 0.8)), 2)``
(default utilization 0.8, minimum 2 IPs, no AZ loss to survive). compare, request and
``--per-ip-rate`` typed back are checked on samples (one call each).
"""

import json
import math
from fractions import Fraction

import numpy as np
import pytest
from typer.testing import CliRunner

import planner
from planner.edges.cli import app
from planner.edges.formats import json_text
from planner.files.forecasts import ForecastRow
from planner.files.plans import Plan, RegionLine

runner = CliRunner()
PROFILES = {p.profile: p.messages_per_ip_per_day for p in planner.load_profiles()}
REGIONS = [r.region for r in planner.load_regions() if r.partition == "aws"]


def rates_for(messages_per_day: int) -> list[str]:
    """10,000 rates as typed: random decimals, and every multiple of one IP's capacity
    that is a finite decimal (the boundaries floats get wrong)."""
    rng = np.random.default_rng(messages_per_day)
    step = Fraction(messages_per_day, 86_400) * Fraction(4, 5)  # one IP at 80 % [msg/s]
    exact = [str(step * step.denominator * k) for k in range(1, 2_001)]  # whole multiples
    exact = [t if "/" not in t else str(Fraction(t).numerator) for t in exact]
    near = [f"{float(step * k):.6f}" for k in range(1, 4_001)]  # just off a boundary
    wild = [f"{x:.2f}" for x in rng.uniform(0.01, 5_000, 4_000)]
    return (exact + near + wild)[:10_000]


def by_hand(rate: str, messages_per_day: int) -> int:
    return max(math.ceil(Fraction(rate) / (Fraction(messages_per_day, 86_400) * Fraction(4, 5))), 2)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_every_surface_gives_the_same_count(profile):
    messages = PROFILES[profile]
    rates = rates_for(messages)
    expected = [by_hand(r, messages) for r in rates]

    # estimate, a chunk of Regions at a time (each Region once a call).
    counts, reported = [], None
    for i in range(0, len(rates), len(REGIONS)):
        chunk = rates[i : i + len(REGIONS)]
        est = planner.estimate(
            REGIONS[: len(chunk)], rate=chunk, profile=profile, date="2027-01-01"
        )
        counts += [row.ips for row in est.regions]
        reported = est.assumptions.per_ip_rate
    assert counts == expected
    assert reported == Fraction(messages, 86_400)

    # The public functions, fed what the estimate reports (the Fraction and its JSON text).
    one = planner.estimate(rate=1, profile=profile, date="2027-01-01")
    text = json.loads(json_text(one.to_dict()))["assumptions"]["per_ip_rate"]
    values = np.array([float(r) for r in rates])
    assert planner.ips_needed(values, reported, 0.8, 2, 0, 6).tolist() == expected
    assert planner.ips_needed(values, text, 0.8, 2, 0, 6).tolist() == expected
    assert np.maximum(planner.ips_for_rate(values, text, 0.8), 2).tolist() == expected

    # A budget of one pool per rate.
    plan = Plan(start="2027-01", months=1, defaults={"profile": profile},
                regions=tuple(RegionLine("us-east-1", pool=f"p{i}", rate=float(r))
                              for i, r in enumerate(rates)))  # fmt: skip
    assert planner.budget(plan).to_frame()["ips_start"].tolist() == expected

    # A schedule of one pool per rate, one month each.
    forecast = [
        ForecastRow(np.datetime64("2027-06", "M"), "us-east-1", f"p{i}", r, None, f"row {i}")
        for i, r in enumerate(rates)
    ]
    months = planner.schedule(forecast, profile=profile, today="2026-01-01").months
    assert months["ips_needed"].tolist() == expected


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_compare_request_and_typed_back_rates_agree(tmp_path, profile):
    messages = PROFILES[profile]
    rng = np.random.default_rng(7)
    # compare sizes a month's volume as an average day: V x 12 / 365 messages a day.
    for volume in rng.integers(1_000, 10**8, 40).tolist():
        rate = Fraction(volume * 12, 365 * 86_400)
        expected = max(math.ceil(rate / (Fraction(messages, 86_400) * Fraction(4, 5))), 2)
        assert (
            planner.compare(monthly_volume=volume, profile=profile, date="2027-01-01").ips
            == expected
        )
    for rate in rates_for(messages)[::500]:
        expected = by_hand(rate, messages)
        est = runner.invoke(app, ["estimate", "--rate", rate, "--profile", profile, "-f", "json"])
        data = json.loads(est.stdout)
        assert data["regions"][0]["ips"] == expected
        again = runner.invoke(app, ["estimate", "--rate", rate, "-f", "json",
                                    "--per-ip-rate", data["assumptions"]["per_ip_rate"]])  # fmt: skip
        assert json.loads(again.stdout)["regions"][0]["ips"] == expected
        if Fraction(rate) >= 1:  # a case's New limit value is a whole msg/s, at least 1
            case = planner.request(rate=rate, profile=profile, date="2027-01-01")
            assert case.cases[0].requests[0].ips == expected


def test_notebook_1s_month_by_month_table_agrees_with_its_estimate_and_schedule():
    # Notebook 1 sizes each month of data/forecast-2027.csv with planner.ips_needed and the
    # estimate's reported per-IP rate; the schedule sizes the same months, and the
    # estimate the busiest month of each Region.
    from pathlib import Path

    import pandas as pd

    data = Path(__file__).resolve().parents[1] / "data"
    forecast = pd.read_csv(data / "forecast-2027.csv")
    peak = forecast.groupby("region", sort=False)["peak_rate"].max()
    est = planner.estimate(list(peak.index), rate=peak.tolist(), az_failures=1, date="2027-01-01")
    a = est.assumptions
    azs = {row.region: row.availability_zones for row in est.regions}
    table = planner.ips_needed(forecast["peak_rate"], a.per_ip_rate, a.utilization,
                               a.min_per_region, a.az_failures, forecast["region"].map(azs))  # fmt: skip
    scheduled = planner.schedule(data / "forecast-2027.csv", az_failures=1, today="2026-01-01")
    assert table.tolist() == scheduled.months["ips_needed"].tolist()
    biggest = pd.Series(table).groupby(forecast["region"]).max()
    assert {row.region: row.ips for row in est.regions} == biggest.to_dict()
    # By hand, us-east-1's busiest month: 340 msg/s / (625/18 x 0.8) = 12.24 -> 13 for the
    # rate; surviving 1 of 6 AZs: 16 (3,3,3,3,2,2 keeps 13).
    assert biggest["us-east-1"] == 16
